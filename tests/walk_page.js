// Walks what a reader sees on the page as it is now (tests/test_mobile.py): every visible
// text node with its font size and contrast, and every visible control with its size.
// "Visible": rendered, not transparent, not visibility:hidden, and at least partly inside the
// screen's width (a closed menu panel waits off-screen). Returns
//   {texts: [{size, ratio, body, text, where}], controls: [{w, h, text, where}],
//    pageWidth, screenWidth, firstBodyLineBottom}
// firstBodyLineBottom: where the first line of body text after the reading controls ends,
// in px from the top of the page (null: none).
// sizes in CSS px; ratio is the WCAG contrast of the text's colour (blended by opacity)
// against the first opaque background behind it.
() => {
  const screenWidth = document.documentElement.clientWidth;

  const rgba = (value) => {
    const parts = (value.match(/[\d.]+/g) || ["0", "0", "0", "0"]).map(Number);
    return parts.length === 3 ? [...parts, 1] : parts;
  };
  const luminance = ([r, g, b]) => [r, g, b]
    .map((c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const blend = (top, bottom, alpha) => top.slice(0, 3).map((c, i) => c * alpha + bottom[i] * (1 - alpha));
  // The colour behind an element: its own and its ancestors' backgrounds, translucent ones
  // (Material's footer is 87 % black) laid over what is under them, down to the first opaque.
  const background = (element) => {
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
      const colour = rgba(getComputedStyle(e).backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] >= 0.99) break;
    }
    return layers.reverse().reduce((under, colour) => blend(colour, under, colour[3]), [255, 255, 255]);
  };
  const opacity = (element) => {
    let value = 1;
    for (let e = element; e; e = e.parentElement) value *= parseFloat(getComputedStyle(e).opacity);
    return value;
  };
  const contrast = (element) => {
    const behind = background(element);
    const colour = rgba(getComputedStyle(element).color);
    const [a, b] = [luminance(blend(colour, behind, colour[3] * opacity(element))), luminance(behind)];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  };
  const onScreen = (rect) => rect.width >= 1 && rect.height >= 1 && rect.right > 0 && rect.left < screenWidth;
  const shown = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.display === "none" || style.visibility === "hidden" || style.opacity === "0") return false;
    }
    return onScreen(element.getBoundingClientRect());
  };
  const where = (element) => {
    const parts = [];
    for (let e = element; e && e !== document.body && parts.length < 3; e = e.parentElement) {
      const classes = typeof e.className === "string" && e.className.trim() ? "." + e.className.trim().split(/\s+/).join(".") : "";
      parts.unshift(e.tagName.toLowerCase() + classes);
    }
    return parts.join(" > ");
  };
  // Body text: the paragraphs and list items of the page's own text (not its title, date
  // line, reading controls, or the small print of a list such as 分类).
  const BODY = ".md-content article > p:not([class]), .md-content article > :is(ul, ol):not([class]) > li, .md-content article blockquote p";

  const texts = [];
  let firstBodyLineBottom = null;
  const controlsRow = document.querySelector(".md-content .fazhi-reader");
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!node.textContent.trim() || !element || element.closest("script, style, noscript, svg")) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    if (!onScreen(range.getBoundingClientRect()) || !shown(element)) continue;
    const body = !!element.closest(BODY);
    texts.push({size: parseFloat(getComputedStyle(element).fontSize), ratio: contrast(element), body,
                text: node.textContent.trim().slice(0, 24), where: where(element)});
    // The first line of body text (or of a table, such as a list's 政府信息公开 elements)
    // after the reading controls.
    if (firstBodyLineBottom === null && controlsRow && (body || element.closest(".md-content article table"))
        && (controlsRow.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING)) {
      firstBodyLineBottom = range.getClientRects()[0].bottom + window.scrollY;
    }
  }

  const controls = [];
  const focusable = "a[href], button, input:not([type=hidden]), select, textarea, summary, label[for], [tabindex]:not([tabindex='-1'])";
  for (const element of document.querySelectorAll(focusable)) {
    if (!shown(element)) continue;
    // A label is a target of its own only for Material's hidden checkboxes (menu, search,
    // expand arrows); a text field's label names the field, which is the target.
    if (element.tagName === "LABEL" && !/^(checkbox|radio)$/.test((document.getElementById(element.htmlFor) || {}).type)) continue;
    const rect = element.getBoundingClientRect();
    controls.push({w: Math.round(rect.width * 10) / 10, h: Math.round(rect.height * 10) / 10,
                   text: (element.textContent || element.getAttribute("aria-label") || "").trim().slice(0, 20),
                   where: where(element)});
  }
  return {texts, controls, firstBodyLineBottom, pageWidth: document.documentElement.scrollWidth, screenWidth};
}
