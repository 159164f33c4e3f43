/* Old phone browsers without ResizeObserver (Safari before 13.1, Chrome before 64) make
   Material fetch a polyfill from the unpkg CDN, which cannot be reached from mainland China.
   Load the same polyfill from this site instead (its address is in this script tag's
   data-polyfill, see overrides/main.html), and only on those browsers. A file rather than an
   inline script, so the Content-Security-Policy needs no per-page hash. */
"ResizeObserver" in window ||
  document.write('<script src="' + document.currentScript.getAttribute("data-polyfill") + '"><\/script>');
