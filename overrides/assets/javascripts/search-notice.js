/* Shows, under the result count, what the search worker (search-worker.js) searched for when
   a query had no exact match: its answer then carries `notice`, a plain sentence such as
   未找到“怎么申请法律援助”，以下是包含“申请”“法律援助”的结果. Material's bundle creates the
   worker and reads its answers itself; this wraps the Worker constructor, before the bundle
   runs, to read the same answers. The sentence is set as text, never as HTML. */
(function () {
  "use strict"
  var RESULT = 3 /* the worker's answer (search-worker.js) */
  var Base = window.Worker
  if (!Base)
    return

  function box() {
    return document.querySelector(".fazhi-search-notice")
  }

  function show(notice) {
    var element = box()
    if (!element)
      return
    element.textContent = notice || ""
    element.hidden = !notice
  }

  window.Worker = class extends Base {
    constructor(url, options) {
      super(url, options)
      this.addEventListener("message", function (event) {
        var message = event.data
        if (message && message.type === RESULT)
          show(message.data && message.data.notice)
      })
    }
  }

  /* A cleared search box clears the sentence too (Material sends no query then) */
  document.addEventListener("input", function (event) {
    if (event.target instanceof HTMLInputElement && event.target.matches(".md-search__input") && !event.target.value.trim())
      show("")
  })
  document.addEventListener("reset", function (event) {
    if (event.target instanceof HTMLFormElement && event.target.matches(".md-search__form"))
      show("")
  })
})()
