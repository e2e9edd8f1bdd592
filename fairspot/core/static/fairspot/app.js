/* Behaviour of the staff pages, loaded from a file so that the Content-Security-Policy can forbid inline script.
 *   <select data-autosubmit>         submits its form when changed (language switch)
 *   <button data-print>              prints the page
 *   <form data-confirm="question">   asks before submitting
 *   details.menu                     one menu group open at a time, closed by a click elsewhere
 *   <form id="upload"> + #upbar      shows the upload's progress (import page)
 *   <div id="job" data-running="1" data-progress="url">  polls an import's progress (#bar, #rows)
 *   <select> with many options, <select multiple> or <select data-search>
 *                                    becomes a searchable select (Tom Select, vendor/); data-plain opts out
 */
(function () {
  "use strict";
  document.addEventListener("change", function (ev) {
    if (ev.target.matches && ev.target.matches("select[data-autosubmit]")) ev.target.form.submit();
  });
  document.addEventListener("click", function (ev) {
    var button = ev.target.closest && ev.target.closest("[data-print]");
    if (button) { ev.preventDefault(); window.print(); }
    // one menu group open at a time; a click elsewhere closes it
    var inside = ev.target.closest && ev.target.closest("details.menu");
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (menu !== inside) menu.removeAttribute("open");
    });
  });
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) ev.preventDefault();
  });

  function upload() {
    var form = document.getElementById("upload"), bar = document.getElementById("upbar");
    if (!form || !bar || !window.XMLHttpRequest || !window.FormData) return;
    form.addEventListener("submit", function (ev) {
      ev.preventDefault(); bar.hidden = false;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action || location.href);
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) bar.firstElementChild.style.width = (100 * e.loaded / e.total) + "%";
      };
      xhr.onload = function () {
        if (xhr.responseURL) location.href = xhr.responseURL;
        else { document.open(); document.write(xhr.responseText); document.close(); }
      };
      xhr.send(new FormData(form));
    });
  }

  function poll() {
    var box = document.getElementById("job");
    if (!box || box.dataset.running !== "1") return;
    fetch(box.dataset.progress, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (p) {
      document.getElementById("bar").style.width = p.percent + "%";
      document.getElementById("rows").textContent = p.rows;
      if (p.status === "done" || p.status === "failed") location.reload(); else setTimeout(poll, 1000);
    }).catch(function () { setTimeout(poll, 3000); });
  }

  // Long lists (items, departments, inspectors, townships, industries) are searched by typing, and
  // several values are picked without Ctrl-click. The <select> stays in the form: what is submitted
  // does not change, and without JavaScript the plain select still works.
  var LONG = 12;
  function searchable() {
    if (!window.TomSelect) return;
    document.querySelectorAll("main select").forEach(function (select) {
      if (select.tomselect || select.hasAttribute("data-plain")) return;
      if (!(select.multiple || select.hasAttribute("data-search") || select.options.length > LONG)) return;
      var english = document.documentElement.lang === "en";
      var ts = new window.TomSelect(select, {
        placeholder: select.multiple ? (english ? "Type to search; several may be chosen" : "输入文字搜索，可多选") : undefined,
        plugins: select.multiple ? ["remove_button", "checkbox_options"] : [],
        maxOptions: null,
        hideSelected: false,
        closeAfterSelect: !select.multiple,
        allowEmptyOption: true,
        render: {
          no_results: function () { return '<div class="no-results">' + (english ? "No match" : "无匹配项") + "</div>"; }
        }
      });
      ts.wrapper.classList.add("searchable");
    });
  }

  // A page whose figures are being computed in the background reloads itself (data-reload-after seconds).
  function reloadSoon() {
    var box = document.querySelector("[data-reload-after]");
    if (box) setTimeout(function () { location.reload(); }, 1000 * Number(box.dataset.reloadAfter || 5));
  }

  function start() { upload(); poll(); searchable(); reloadSoon(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
