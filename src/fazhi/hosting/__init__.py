"""Hosting the built site: content-hash names for the site's own assets (fingerprint), which
files a browser may keep for how long (caching), copying a build into the web root so that
readers of the previous version keep working (deploy), and deploy/nginx.conf run for real
for tests and measurements (nginx)."""
