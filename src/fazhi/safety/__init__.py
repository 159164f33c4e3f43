"""Publishing safety: what the site may publish, declared once (allowlist), enforced once
(sanitizer, escaping)."""
