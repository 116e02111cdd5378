// RunLedger web UI: a little hand-written JavaScript for the version slider, the lumisection grid's
// range selection and hover provenance, and the live runs table. Pages work without it.
(function () {
  "use strict";

  // Version slider: moving it fills the version box; letting go of the pointer, or Enter, shows that
  // version. Arrow keys only move it (a page load per key press would lose the keyboard user's place).
  document.querySelectorAll("[data-version-slider]").forEach(function (slider) {
    var form = slider.form, box = form && form.querySelector("input[name=as_of]");
    slider.addEventListener("input", function () { if (box) box.value = slider.value; slider.setAttribute("aria-valuetext", "version " + slider.value); });
    slider.addEventListener("pointerup", function () { if (form) form.submit(); });
    slider.addEventListener("keydown", function (e) { if (e.key === "Enter" && form) { e.preventDefault(); form.submit(); } });
  });

  // Lumisection grid: selecting a range fills the edit form; hovering shows who set it, when and why.
  var tip = null;
  function showTip(el) {
    var text = el.getAttribute("data-provenance"); if (!text) return;
    if (!tip) { tip = document.createElement("div"); tip.className = "tooltip"; tip.setAttribute("role", "tooltip"); tip.id = "grid-tooltip"; document.body.appendChild(tip); }
    tip.textContent = text; tip.hidden = false;
    var r = el.getBoundingClientRect();
    tip.style.left = Math.max(4, Math.min(window.innerWidth - 370, r.left)) + "px";
    tip.style.top = (r.bottom + 6) + "px";
  }
  function hideTip() { if (tip) tip.hidden = true; }
  document.querySelectorAll(".seg[data-provenance]").forEach(function (seg) {
    seg.addEventListener("mouseenter", function () { showTip(seg); });
    seg.addEventListener("mouseleave", hideTip);
    seg.addEventListener("focus", function () { showTip(seg); });
    seg.addEventListener("blur", hideTip);
  });
  var form = document.getElementById("edit-form");
  document.querySelectorAll(".seg[data-component]").forEach(function (seg) {
    seg.addEventListener("click", function () {
      document.querySelectorAll(".seg.selected").forEach(function (s) { s.classList.remove("selected"); });
      seg.classList.add("selected");
      var selected = document.getElementById("selected-range");
      if (selected) selected.textContent = seg.getAttribute("aria-label");
      if (!form) return;
      var set = function (name, value) { var f = form.elements[name]; if (f && value !== null) f.value = value; };
      set("component", seg.getAttribute("data-component"));
      set("start", seg.getAttribute("data-start"));
      set("end", seg.getAttribute("data-end"));
      set("status", seg.getAttribute("data-status"));
      var status = form.elements["status"]; if (status) status.focus();
    });
  });
  // Arrow keys move between the ranges of one row.
  document.querySelectorAll(".lane").forEach(function (lane) {
    lane.addEventListener("keydown", function (e) {
      if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
      var segs = Array.prototype.slice.call(lane.querySelectorAll(".seg"));
      var i = segs.indexOf(document.activeElement); if (i < 0) return;
      var j = e.key === "ArrowRight" ? Math.min(segs.length - 1, i + 1) : Math.max(0, i - 1);
      segs[j].focus(); e.preventDefault();
    });
  });

  // Live runs table: at the latest version, refresh the table when events arrive on the feed.
  // A page that names its version (?as_of=) stays at it, even when that is the latest right now.
  var live = document.querySelector("[data-live-table]");
  var pinned = new URL(window.location.href).searchParams.has("as_of");
  if (live && !pinned && !document.body.hasAttribute("data-past") && window.EventSource) {
    var status = document.getElementById("live-status");
    var pending = null;
    // The same page at the latest version (never a pinned as_of), swapping only the table body and the
    // counts, and not while the keyboard focus is inside the table.
    var latestURL = function () {
      var url = new URL(window.location.href);
      url.searchParams.delete("as_of");
      return url.toString();
    };
    var refresh = function () {
      pending = null;
      var table = document.getElementById("runs-table");
      if (table && table.contains(document.activeElement)) { pending = setTimeout(refresh, 2000); return; }
      fetch(latestURL(), { headers: { "Accept": "text/html" } }).then(function (r) { return r.text(); }).then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        [["#runs-table tbody"], ["#runs-count"]].forEach(function (selector) {
          var fresh = doc.querySelector(selector[0]), current = document.querySelector(selector[0]);
          if (fresh && current) current.replaceWith(fresh);
        });
        ["page-version", "page-latest"].forEach(function (id) {
          var fresh = doc.getElementById(id), mine = document.getElementById(id);
          if (fresh && mine) mine.textContent = fresh.textContent;
        });
        var v = doc.getElementById("page-version");
        if (status) status.textContent = "live: updated at version " + (v ? v.textContent : "?");
      });
    };
    // One feed connection per page, closed when the page is left (browsers keep left pages in their
    // back/forward cache, and every open feed holds one of the six connections a host gets).
    var source = null;
    var types = ["RunCreated", "RunOMSAttributesSet", "RunClassSet", "RunSignificanceSet", "RunStopReasonSet", "RunStateMoved", "RunLumisectionCountSet", "DatasetCreated", "DatasetWorkspaceStateMoved", "DatasetGlobalStateMoved", "LumisectionFlagsSet", "ManualOverrideReleased"];
    var open = function () {
      if (source) return;
      source = new EventSource("/v1/feed");
      source.onopen = function () { if (status) status.textContent = "live: following the event feed"; };
      types.forEach(function (type) {
        source.addEventListener(type, function () { if (!pending) pending = setTimeout(refresh, 400); });
      });
      source.onerror = function () { if (status) status.textContent = "live: feed interrupted, retrying"; };
    };
    var close = function () { if (source) { source.close(); source = null; } };
    window.addEventListener("pagehide", close);
    window.addEventListener("pageshow", function (e) { if (e.persisted) { open(); refresh(); } });
    open();
  }
})();
