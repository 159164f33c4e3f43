/* 朗读 (read-aloud): reads the page's main text aloud with the browser's own speech
   (window.speechSynthesis). No server and no other host: the voice is the phone's or the
   computer's. Controls: 朗读 in the reading-settings row
   (overrides/partials/reader-controls.html) and the player under it
   (overrides/partials/read-aloud.html): 暂停/继续, 停止, 【语速：慢 中 快】 and a status line.

   Loaded with defer (overrides/main.html): nothing here is needed to draw the page.
   reader.js, run in <head>, marks <html> with the class fazhi-can-speak where the browser
   can speak, and read-aloud.css shows 朗读 only under that mark. So the button is in place
   from the first paint (nothing moves as the page loads), and a browser without speech
   never shows a button that could do nothing. Everything else waits for a press.

   How it reads:
   - The text is taken from the page itself when 朗读 is pressed: the article
     (.md-content .md-typeset), in document order, headings, list items and table cells
     included; the reading controls, permalinks (¶), page buttons, navigation and anything
     hidden are left out (SKIP below).
   - Browsers stop long utterances part-way (Chrome after about 15 seconds), so the text is
     spoken one sentence at a time: split at 。！？；!?; and at every block (paragraph,
     heading, cell), and a piece still longer than MAX_CHARS at ，、, or a space. The next
     sentence is spoken when the previous one ends.
   - The sentence being read is highlighted with the CSS Custom Highlight API (a Range over
     the page's own text; the text nodes are never rewritten) or, where that API is missing,
     with a class on its paragraph; it is scrolled to the middle of the screen when it is
     not fully in view (without smooth scrolling for readers who ask for reduced motion).
   - The speed (慢 中 快) is kept as `rate` in the same localStorage entry as the other
     reading settings ("fazhi.reader", shared with reader.js): read, change one field,
     write back, so size, 长者模式 and 高对比度 are never lost.
   - Where no Chinese voice is installed, or speech fails, the status line says so in
     Chinese instead of staying silent. */
(function () {
  "use strict";

  var synth = window.speechSynthesis;
  var Utterance = window.SpeechSynthesisUtterance;
  if (!synth || typeof Utterance !== "function") return; // no 朗读 shown: see above


  // Saved settings, shared with reader.js (loaded just before this file): blocked or damaged
  // storage is tolerated there.
  var settings = window.fazhiSettings;
  var RATES = { slow: 0.7, medium: 1, fast: 1.3 };
  var MAX_CHARS = 120; // longest piece spoken at once; most sentences are far shorter
  var HIGHLIGHT = "fazhi-read-aloud";
  var CURRENT_CLASS = "fazhi-read-aloud-current"; // fallback highlight, on the block
  // A silent start: past this, the status line says a voice may be missing (without
  // stopping: a phone's speech engine can be slow to start the first time).
  var START_TIMEOUT_MS = 8000;
  var TEXT = {
    // The sentence is marked with the Highlight API; without it, its whole paragraph.
    reading: window.CSS && CSS.highlights ? "正在朗读，读到的句子以黄色标出。" : "正在朗读，读到的段落以黄色标出。",
    paused: "已暂停。按“继续”接着读。",
    stopped: "已停止朗读。",
    finished: "已读完。",
    nothing: "本页没有可朗读的文字。",
    noVoice: "本浏览器没有中文语音，无法朗读。可在手机或电脑的系统设置中添加中文语音，或换用其他浏览器。",
    slowStart: "还没有听到声音？本浏览器可能没有中文语音。可在手机或电脑的系统设置中添加中文语音，或换用其他浏览器。",
    notAllowed: "浏览器没有允许本页发出声音，无法朗读。请再按一次“朗读”，或在浏览器设置中允许本网站播放声音。",
    audio: "手机或电脑的声音设备不可用或正被占用，无法朗读。",
    interrupted: "朗读被打断了。可再按“朗读”从头读。",
    failed: "朗读出错，已停止。可再按“朗读”重试。"
  };
  // Errors that mean the browser cannot speak Chinese here: say so, do not retry.
  var NO_VOICE_ERRORS = ["synthesis-failed", "synthesis-unavailable", "language-unavailable", "voice-unavailable"];

  // What is never read: the reading controls (reader.js's and ours), permalinks (¶), page
  // action buttons, navigation, things hidden from everyone or from screen readers, the
  // filter controls list-table.js adds above a list, and non-text elements.
  var SKIP = [
    "[data-fazhi-reader]", "[data-fazhi-read-aloud]", ".headerlink", ".md-content__button",
    ".md-clipboard", ".fazhi-table__controls", "nav", "[aria-hidden='true']", "[hidden]",
    "svg", "script", "style", "template", "noscript", "input", "select", "textarea",
    "img", "video", "audio", "iframe", "object", "canvas"
  ].join(",");
  // Sentence ends; closing quotes and brackets right after one stay with its sentence.
  var ENDS = "。！？；!?;";
  var CLOSERS = "”’」』）)】》〉\"'";
  // Where an over-long sentence may be cut: after one of these.
  var SOFT_BREAKS = "，、,：:";
  // A piece made only of these (a lone 】, a dash, a bullet) is not worth speaking. Every
  // character here is punctuation or space, never a letter or digit.
  var ONLY_PUNCTUATION = /^[\s!-\/:-@\[-`{-~\u00a7\u00b6\u00b7\u2010-\u2027\u2030-\u205e\u3000-\u3003\u3008-\u3011\u3014-\u301f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]*$/;

  var state = "idle"; // idle | reading | paused
  var sentences = [];
  var index = 0;
  var current = null; // the utterance being spoken; events of any other are stale
  var started = false; // a `start` event has come: the engine does speak
  var cutWhilePaused = false; // the engine ended the sentence during a pause (Android)
  var startTimer = null;
  var player = null; // the player under the 朗读 that was pressed
  var chosenRate = null; // the speed pressed on this page: holds even where storage is blocked
  var currentBlock = null;
  var startedAt = 0; // when 朗读 was last pressed to start, in ms
  // A second press this soon after starting is a double tap, not a stop: an older reader
  // who taps twice out of habit would otherwise hear nothing.
  var DOUBLE_TAP_MS = 600;

  /* ---- Saved speed: read-modify-write of the shared settings ---- */

  function savedRate() {
    var rate = chosenRate || settings.load().rate;
    return Object.prototype.hasOwnProperty.call(RATES, rate) ? rate : "medium";
  }

  function saveRate(rate) {
    chosenRate = rate; // holds on this page even where storage is blocked
    var saved = settings.load();
    saved.rate = rate;
    settings.save(saved);
  }

  /* ---- Voices ---- */

  function voices() {
    try {
      return synth.getVoices() || [];
    } catch (error) {
      return [];
    }
  }

  // Mainland Mandarin first, then other Mandarin, then Cantonese; a voice on the device
  // before one that needs the browser maker's servers (often out of reach in China).
  function voiceRank(voice) {
    var lang = String(voice.lang || "").toLowerCase().replace(/_/g, "-");
    var rank;
    if (lang === "zh-cn" || lang === "cmn-cn" || lang === "cmn-hans-cn" || lang === "zh-hans-cn") rank = 0;
    else if (lang === "zh" || lang === "cmn" || lang.indexOf("zh-hans") === 0 || lang === "zh-sg") rank = 1;
    else if (lang.indexOf("cmn") === 0 || lang === "zh-tw" || lang.indexOf("zh-hant") === 0) rank = 2;
    else if (lang.indexOf("zh") === 0 || lang.indexOf("yue") === 0) rank = 3;
    else return -1;
    return rank * 2 + (voice.localService === false ? 1 : 0);
  }

  function chineseVoice() {
    var best = null;
    var bestRank = Infinity;
    voices().forEach(function (voice) {
      var rank = voiceRank(voice);
      if (rank >= 0 && rank < bestRank) {
        best = voice;
        bestRank = rank;
      }
    });
    return best;
  }

  // Voices often arrive after the page has loaded (Chrome lists them on `voiceschanged`).
  // Once they are known and none is Chinese, reading cannot work: say so.
  function onVoicesChanged() {
    if (state !== "idle" && !started && voices().length && !chineseVoice()) stop(TEXT.noVoice);
  }
  if (typeof synth.addEventListener === "function") {
    synth.addEventListener("voiceschanged", onVoicesChanged);
  }

  /* ---- The text, in sentences ---- */

  // Inline boxes continue the text around them; anything else (paragraph, heading, list
  // item, table cell, flex item …) starts and ends a block of its own.
  function isInline(display) {
    return display.indexOf("inline") === 0 || display.indexOf("ruby") === 0 || display === "contents";
  }

  // The article's text as runs: the text between two block boundaries, whitespace
  // collapsed as the browser shows it, each character remembered with the text node and
  // offset it came from (chars[i] ↔ nodes[i], offsets[i]) so that a sentence can be turned
  // back into a Range of the page's own text.
  function collectRuns(article) {
    var runs = [];
    var run = null;

    function flush() {
      if (run && run.chars.length) {
        while (run.chars.length && run.chars[run.chars.length - 1] === " ") {
          run.chars.pop();
          run.nodes.pop();
          run.offsets.pop();
        }
        if (run.chars.length) runs.push(run);
      }
      run = null;
    }

    function addText(node) {
      var text = node.nodeValue;
      for (var i = 0; i < text.length; i++) {
        var c = text.charAt(i);
        var space = c === " " || c === "\n" || c === "\t" || c === "\r" || c === "\f";
        if (!run) {
          if (space) continue;
          run = { chars: [], nodes: [], offsets: [], block: blockOf(node) };
        }
        if (space) {
          if (run.chars[run.chars.length - 1] === " ") continue;
          c = " ";
        }
        run.chars.push(c);
        run.nodes.push(node);
        run.offsets.push(i);
      }
    }

    function walk(element) {
      for (var child = element.firstChild; child; child = child.nextSibling) {
        if (child.nodeType === 3) {
          addText(child);
        } else if (child.nodeType === 1) {
          if (child.tagName === "BR") {
            flush(); // a line break inside a paragraph ends a sentence too
            continue;
          }
          if (child.matches(SKIP)) continue;
          var style = window.getComputedStyle(child);
          if (style.display === "none") continue;
          // Not drawn at all, e.g. the inside of a closed <details>: not read either.
          if (style.display !== "contents" && child.getClientRects().length === 0) continue;
          var block = !isInline(style.display);
          if (block) flush();
          walk(child);
          if (block) flush();
        }
      }
    }

    walk(article);
    flush();
    return runs;
  }

  function blockOf(node) {
    var element = node.parentElement;
    while (element && element.parentElement) {
      if (!isInline(window.getComputedStyle(element).display)) return element;
      element = element.parentElement;
    }
    return element;
  }

  // Cut points [start, end) of the sentences of one run.
  function split(chars) {
    var pieces = [];
    var start = 0;
    for (var i = 0; i < chars.length; i++) {
      if (ENDS.indexOf(chars[i]) >= 0) {
        var end = i + 1;
        while (end < chars.length && (ENDS.indexOf(chars[end]) >= 0 || CLOSERS.indexOf(chars[end]) >= 0)) end++;
        pieces.push([start, end]);
        start = end;
        i = end - 1;
      }
    }
    if (start < chars.length) pieces.push([start, chars.length]);
    var out = [];
    pieces.forEach(function (piece) {
      shorten(chars, piece[0], piece[1], out);
    });
    return out;
  }

  // A piece longer than MAX_CHARS is cut after the last ，、, or space that keeps the first
  // part within the limit (hard at the limit where there is none).
  function shorten(chars, start, end, out) {
    while (end - start > MAX_CHARS) {
      var cut = -1;
      for (var i = start + MAX_CHARS - 1; i > start; i--) {
        if (chars[i] === " " || SOFT_BREAKS.indexOf(chars[i]) >= 0) {
          cut = i + 1;
          break;
        }
      }
      if (cut < 0) cut = start + MAX_CHARS;
      out.push([start, cut]);
      start = cut;
    }
    out.push([start, end]);
  }

  function sentencesOf(article) {
    var list = [];
    collectRuns(article).forEach(function (run) {
      split(run.chars).forEach(function (piece) {
        var start = piece[0];
        var end = piece[1];
        while (start < end && run.chars[start] === " ") start++;
        while (end > start && run.chars[end - 1] === " ") end--;
        var text = run.chars.slice(start, end).join("");
        if (!text || ONLY_PUNCTUATION.test(text)) return;
        // A list cell is read after its column's name (data-label, written at build time),
        // as a phone shows it: a bare "2" or "无" would not say what it is.
        var label = !list.length || list[list.length - 1].block !== run.block ? columnName(run.block) : "";
        list.push({
          text: label ? label + "：" + text : text,
          block: run.block,
          startNode: run.nodes[start],
          startOffset: run.offsets[start],
          endNode: run.nodes[end - 1],
          endOffset: run.offsets[end - 1] + 1
        });
      });
    });
    return list;
  }

  function columnName(block) {
    var cell = block && block.closest ? block.closest("td[data-label]") : null;
    return cell ? cell.getAttribute("data-label") : "";
  }

  // Still on the screen: a list row the reader has filtered out since 朗读 was pressed is
  // skipped, as it is no longer shown.
  function drawn(element) {
    return element.isConnected && element.getClientRects().length > 0;
  }

  /* ---- Showing the sentence being read ---- */

  function clearHighlight() {
    if (window.CSS && CSS.highlights) CSS.highlights.delete(HIGHLIGHT);
    if (currentBlock) currentBlock.classList.remove(CURRENT_CLASS);
    currentBlock = null;
  }

  function show(sentence) {
    clearHighlight();
    var range = document.createRange();
    try {
      range.setStart(sentence.startNode, sentence.startOffset);
      range.setEnd(sentence.endNode, sentence.endOffset);
    } catch (error) {
      return; // the page changed under the sentence (a list filtered): nothing to mark
    }
    var box;
    if (window.CSS && CSS.highlights && typeof window.Highlight === "function") {
      CSS.highlights.set(HIGHLIGHT, new window.Highlight(range));
      box = range.getBoundingClientRect();
    } else {
      currentBlock = sentence.block;
      if (currentBlock) currentBlock.classList.add(CURRENT_CLASS);
      box = currentBlock ? currentBlock.getBoundingClientRect() : range.getBoundingClientRect();
    }
    scrollToBox(box);
  }

  // Only when the sentence is not fully in view (below Material's header, which stays at
  // the top): then it is brought to the middle of the screen. A sentence in view never
  // makes the page jump.
  function scrollToBox(box) {
    if (!box || (!box.width && !box.height)) return;
    var header = document.querySelector(".md-header");
    var top = header ? Math.max(0, header.getBoundingClientRect().bottom) : 0;
    var bottom = window.innerHeight || document.documentElement.clientHeight;
    if (box.top >= top && box.bottom <= bottom) return;
    var room = bottom - top;
    var delta = box.height >= room ? box.top - top - 8 : box.top - top - (room - box.height) / 2;
    var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    try {
      window.scrollBy({ top: delta, left: 0, behavior: reduce ? "auto" : "smooth" });
    } catch (error) {
      window.scrollBy(0, delta); // old browsers without scroll options
    }
  }

  /* ---- Speaking ---- */

  function clearStartTimer() {
    if (startTimer) window.clearTimeout(startTimer);
    startTimer = null;
  }

  function speakCurrent() {
    while (index < sentences.length && !drawn(sentences[index].block)) index++;
    if (index >= sentences.length) {
      stop(TEXT.finished);
      return;
    }
    var sentence = sentences[index];
    var utterance = new Utterance(sentence.text);
    utterance.lang = "zh-CN";
    var voice = chineseVoice();
    try {
      if (voice) utterance.voice = voice;
    } catch (error) {
      /* a voice the browser no longer knows: `lang` still asks for Chinese */
    }
    utterance.rate = RATES[savedRate()];
    utterance.addEventListener("start", function () {
      if (utterance !== current) return;
      if (!started) {
        started = true;
        clearStartTimer();
        setStatus(state === "paused" ? TEXT.paused : TEXT.reading);
      }
    });
    utterance.addEventListener("end", function () {
      if (utterance !== current) return;
      if (state === "paused") {
        cutWhilePaused = true; // read it again on 继续
        return;
      }
      index++;
      speakCurrent();
    });
    utterance.addEventListener("error", function (event) {
      if (utterance !== current) return;
      onError(event.error);
    });
    current = utterance;
    show(sentence);
    synth.speak(utterance);
  }

  function onError(error) {
    if (NO_VOICE_ERRORS.indexOf(error) >= 0) stop(TEXT.noVoice);
    else if (error === "not-allowed") stop(TEXT.notAllowed);
    else if (error === "audio-busy" || error === "audio-hardware") stop(TEXT.audio);
    else if (error === "interrupted" || error === "canceled") {
      // Not our own cancel (that drops `current` first): another page or app took the
      // speech, or a phone ended the sentence on 暂停.
      if (state === "paused") cutWhilePaused = true;
      else stop(TEXT.interrupted);
    } else stop(TEXT.failed);
  }

  function start(button) {
    stop(null);
    player = playerFor(button);
    var article = document.querySelector(".md-content .md-typeset");
    sentences = article ? sentencesOf(article) : [];
    index = 0;
    started = false;
    cutWhilePaused = false;
    if (!sentences.length) {
      render(TEXT.nothing);
      return;
    }
    var known = voices();
    if (known.length && !chineseVoice()) {
      render(TEXT.noVoice);
      return;
    }
    state = "reading";
    render(TEXT.reading);
    startTimer = window.setTimeout(function () {
      startTimer = null;
      if (state !== "idle" && !started) setStatus(voices().length && !chineseVoice() ? TEXT.noVoice : TEXT.slowStart);
    }, START_TIMEOUT_MS);
    speakCurrent();
  }

  function pause() {
    if (state !== "reading") return;
    state = "paused";
    synth.pause();
    render(TEXT.paused);
  }

  function resume() {
    if (state !== "paused") return;
    state = "reading";
    render(TEXT.reading);
    if (cutWhilePaused) {
      // Some phones (Chrome on Android) stop instead of pausing: read the sentence again.
      cutWhilePaused = false;
      current = null;
      synth.cancel();
      speakCurrent();
    } else {
      synth.resume();
    }
  }

  // Stops speaking; `message` (when given) goes to the status line. `current` is dropped
  // before cancel(), so the `end` or `error` the cancel causes is ignored.
  function stop(message) {
    var wasActive = state !== "idle";
    state = "idle";
    current = null;
    clearStartTimer();
    clearHighlight();
    if (wasActive || synth.speaking || synth.pending) {
      synth.cancel();
      if (synth.paused) synth.resume(); // Chrome otherwise stays paused for the next press
    }
    if (message !== null) render(message);
  }

  /* ---- The controls ---- */

  function playerFor(button) {
    var row = button && button.closest("[data-fazhi-reader]");
    var next = row ? row.nextElementSibling : null;
    if (next && next.hasAttribute("data-fazhi-read-aloud")) return next;
    return document.querySelector("[data-fazhi-read-aloud]");
  }

  function setStatus(message) {
    if (!player) return;
    var status = player.querySelector("[data-fazhi-read-aloud-status]");
    if (status && status.textContent !== message) status.textContent = message;
  }

  // Shows the state: 朗读 pressed while reading or paused, 暂停 or 继续, 停止 only while
  // there is something to stop, the speed pressed, and the status line.
  function render(message) {
    var active = state !== "idle";
    document.querySelectorAll("[data-fazhi-read-aloud-start]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(active));
    });
    showRate();
    if (!player) return;
    var focused = document.activeElement;
    player.hidden = false;
    var pauseButton = player.querySelector("[data-fazhi-read-aloud-pause]");
    var stopButton = player.querySelector("[data-fazhi-read-aloud-stop]");
    if (pauseButton) {
      pauseButton.hidden = !active;
      pauseButton.textContent = state === "paused" ? "继续" : "暂停";
    }
    if (stopButton) stopButton.hidden = !active;
    if (message !== undefined) setStatus(message);
    // A hidden button cannot keep the focus: hand it to 朗读 of the same controls, so a
    // keyboard or screen-reader user is not sent back to the top of the page.
    if (focused && player.contains(focused) && focused.hidden) {
      var row = player.previousElementSibling;
      var startButton = row && row.querySelector("[data-fazhi-read-aloud-start]");
      if (startButton) startButton.focus();
    }
  }

  function showRate() {
    var rate = savedRate();
    document.querySelectorAll("[data-fazhi-read-aloud-rate]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-fazhi-read-aloud-rate") === rate));
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("button") : null;
    if (!button) return;
    if (button.hasAttribute("data-fazhi-read-aloud-start")) {
      if (state === "idle") {
        startedAt = Date.now();
        start(button);
      } else if (Date.now() - startedAt >= DOUBLE_TAP_MS) {
        stop(TEXT.stopped);
      }
    } else if (button.hasAttribute("data-fazhi-read-aloud-pause")) {
      if (state === "paused") resume();
      else pause();
    } else if (button.hasAttribute("data-fazhi-read-aloud-stop")) {
      stop(TEXT.stopped);
    } else if (button.hasAttribute("data-fazhi-read-aloud-rate")) {
      // Applies from the next sentence on, and on every page after this one.
      saveRate(button.getAttribute("data-fazhi-read-aloud-rate"));
      showRate();
    }
  });

  // Chrome goes on speaking after the page is left or reloaded: stop when it is left, and
  // drop whatever an earlier page left in the queue.
  window.addEventListener("pagehide", function () {
    stop(null);
  });
  // Back to a page kept in the browser's memory (back/forward cache): it was stopped when
  // left; show it stopped.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && player) render("");
  });
  if (synth.speaking || synth.pending) synth.cancel();
  document.addEventListener("DOMContentLoaded", showRate);
})();
