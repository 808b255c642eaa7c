// Keeps what an expert types in this browser (localStorage) until the server confirms the save,
// so an expired session, a lost connection or a closed tab never costs the text.
// A form opts in with data-draft-key="consult-draft:<user>:<consultation>:<scope>"; the page shown
// after a successful save carries data-draft-saved="<same key>" and the draft is forgotten; the server
// writes that marker only once after a save it made, never from the URL.
(function () {
  "use strict";

  var MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
  var SKIP = { csrf_token: true, submission_key: true };

  function openStorage() {
    try {
      var storage = window.localStorage;
      storage.setItem("consult-draft:probe", "1");
      storage.removeItem("consult-draft:probe");
      return storage;
    } catch (error) {
      return null; // private mode or storage disabled: the form still works, without drafts
    }
  }

  var storage = openStorage();
  if (!storage) {
    return;
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-draft-saved]"), function (marker) {
    storage.removeItem(marker.getAttribute("data-draft-saved"));
  });

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.name && !SKIP[element.name] && !element.disabled && !element.readOnly &&
        ["hidden", "submit", "button", "reset", "file"].indexOf(element.type) === -1;
    });
  }

  function read(form) {
    var values = {};
    fields(form).forEach(function (element) {
      if (element.type === "radio") {
        if (!(element.name in values)) { values[element.name] = ""; }
        if (element.checked) { values[element.name] = element.value; }
      } else if (element.type === "checkbox") {
        if (!(element.name in values)) { values[element.name] = []; }
        if (element.checked) { values[element.name].push(element.value); }
      } else {
        values[element.name] = element.value;
      }
    });
    return values;
  }

  function write(form, values) {
    fields(form).forEach(function (element) {
      if (!(element.name in values)) { return; }
      var value = values[element.name];
      if (element.type === "radio") {
        element.checked = element.value === value;
      } else if (element.type === "checkbox") {
        element.checked = Array.isArray(value) && value.indexOf(element.value) !== -1;
      } else if (typeof value === "string") {
        element.value = value;
      }
    });
  }

  function differs(draft, current) {
    return Object.keys(draft).some(function (name) {
      return name in current && JSON.stringify(draft[name]) !== JSON.stringify(current[name]);
    });
  }

  function hasText(values) {
    return Object.keys(values).some(function (name) {
      return typeof values[name] === "string" && values[name].trim().length > 1;
    });
  }

  function load(key) {
    try {
      var draft = JSON.parse(storage.getItem(key) || "null");
      if (draft && draft.values && Date.now() - draft.savedAt < MAX_AGE_MS) { return draft; }
    } catch (error) { /* a damaged entry is ignored */ }
    storage.removeItem(key);
    return null;
  }

  function showNotice(form, key, original) {
    var notice = document.createElement("div");
    notice.className = "alert alert-info d-flex flex-wrap align-items-center gap-2";
    notice.setAttribute("role", "status");
    notice.setAttribute("data-draft-notice", "");
    var text = document.createElement("span");
    text.textContent = "متنی که پیش‌تر در این مرورگر نوشته بودید بازگردانده شد. هنوز ثبت نشده است؛ برای ثبت «ذخیره» را بزنید.";
    var undo = document.createElement("button");
    undo.type = "button";
    undo.className = "btn btn-sm btn-outline-secondary";
    undo.textContent = "کنار گذاشتن این متن";
    undo.addEventListener("click", function () {
      write(form, original);
      storage.removeItem(key);
      notice.remove();
    });
    notice.appendChild(text);
    notice.appendChild(undo);
    form.parentNode.insertBefore(notice, form);
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-draft-key]"), function (form) {
    var key = form.getAttribute("data-draft-key");
    var original = read(form);
    var draft = load(key);
    if (draft && hasText(draft.values) && differs(draft.values, original)) {
      write(form, draft.values);
      showNotice(form, key, original);
    }

    var timer = null;
    function save() {
      timer = null;
      try {
        storage.setItem(key, JSON.stringify({ savedAt: Date.now(), values: read(form) }));
      } catch (error) { /* storage full: the form still posts */ }
    }
    function saveSoon() {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(save, 400);
    }
    function flush() {
      if (timer) { clearTimeout(timer); save(); }
    }

    form.addEventListener("input", saveSoon);
    form.addEventListener("change", save);
    // The newest text is kept even when this very submit is refused (session expired, round closed).
    form.addEventListener("submit", function () { flush(); save(); });
    window.addEventListener("pagehide", flush);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { flush(); }
    });
  });
}());
