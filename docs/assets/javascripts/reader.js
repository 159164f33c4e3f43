/* Reading settings for citizens (适老化): 【字号：大 中 小】, 【打印】, 长者模式 (large text) and
   高对比度 (high contrast). The choice is kept in localStorage, so it stays on every page of
   the site, at the host root or under a sub-path such as /fazhi/. Nothing pops up and
   nothing moves by itself: the page only changes when the reader presses a button.

   Loaded in <head> (overrides/main.html): the saved settings are applied to <html> before
   the page is drawn, and that mark on <html> is what shows the buttons
   (overrides/partials/reader-controls.html) and their pressed look (site.css), so the page
   is drawn once, as it stays: nothing moves when it finishes loading. Their clicks are
   handled from the start (one listener on the document); aria-pressed, for screen readers,
   is set once the document is parsed. The look of each setting lives in
   assets/stylesheets/site.css. */
(function () {
  "use strict";

  var STORAGE_KEY = "fazhi.reader";
  var SIZES = ["small", "medium", "large"];
  var MODES = ["elder", "contrast"];
  var root = document.documentElement;

  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "{}");
      return saved && typeof saved === "object" && !Array.isArray(saved) ? saved : {};
    } catch (error) {
      return {}; // storage blocked (private mode) or damaged: start from the defaults
    }
  }

  function save(settings) {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(settings));
    } catch (error) {
      /* storage blocked: the setting still holds on this page */
    }
  }

  function apply(settings) {
    root.setAttribute("data-fazhi-size", SIZES.indexOf(settings.size) >= 0 ? settings.size : "medium");
    MODES.forEach(function (mode) {
      root.classList.toggle("fazhi-" + mode, settings[mode] === true);
    });
  }

  function showPressed(controls, settings) {
    var size = root.getAttribute("data-fazhi-size");
    controls.querySelectorAll("[data-fazhi-size]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-fazhi-size") === size));
    });
    controls.querySelectorAll("[data-fazhi-mode]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(settings[button.getAttribute("data-fazhi-mode")] === true));
    });
  }

  function showAllPressed(settings) {
    document.querySelectorAll("[data-fazhi-reader]").forEach(function (controls) {
      showPressed(controls, settings);
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-fazhi-reader] button") : null;
    if (!button) return;
    if (button.hasAttribute("data-fazhi-print")) {
      window.print();
      return;
    }
    var settings = load();
    if (button.hasAttribute("data-fazhi-size")) {
      settings.size = button.getAttribute("data-fazhi-size");
    }
    if (button.hasAttribute("data-fazhi-mode")) {
      var mode = button.getAttribute("data-fazhi-mode");
      settings[mode] = settings[mode] !== true;
    }
    save(settings);
    apply(settings);
    showAllPressed(settings);
  });

  // The one place the saved settings are read and written; read-aloud.js keeps its speed
  // (`rate`) in the same entry through these: each write is read, change one field, write.
  window.fazhiSettings = { load: load, save: save };

  apply(load());
  // 朗读 (read-aloud.js, loaded later with defer) is shown only where the browser can speak:
  // marked here, before the page is drawn, so the button never appears or vanishes later.
  root.classList.toggle("fazhi-can-speak", !!window.speechSynthesis && typeof window.SpeechSynthesisUtterance === "function");
  document.addEventListener("DOMContentLoaded", function () {
    showAllPressed(load());
  });
})();
