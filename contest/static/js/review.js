// The reading view: text size (remembered), draft autosave, keyboard navigation.
// The page works without it: "Save draft" and "Submit review" are plain form posts.
(function () {
  "use strict";
  const FONT_KEY = "contest.reader.fontSize";
  const DEBOUNCE_MS = 1200;

  function setupFontSize() {
    const essay = document.getElementById("essay");
    if (!essay) return;
    const apply = (size) => {
      const clamped = Math.min(28, Math.max(14, size));
      essay.dataset.size = String(clamped);
      essay.classList.forEach((c) => { if (c.startsWith("fs-")) essay.classList.remove(c); });
      essay.classList.add("fs-" + clamped);
      try { localStorage.setItem(FONT_KEY, String(clamped)); } catch (e) { /* private mode */ }
    };
    let stored = 19;
    try { stored = parseInt(localStorage.getItem(FONT_KEY) || "19", 10) || 19; } catch (e) { /* ignore */ }
    apply(stored);
    document.querySelectorAll("[data-font]").forEach((button) => {
      button.addEventListener("click", () => {
        apply(parseInt(essay.dataset.size, 10) + parseInt(button.dataset.font, 10));
      });
    });
  }

  function setupAutosave(form) {
    const status = document.getElementById("save-status");
    const version = document.getElementById("review-version");
    const token = form.querySelector("input[name=csrf_token]");
    let timer = null, inFlight = null, dirty = false, stopped = false;

    const say = (text, kind) => {
      status.textContent = text;
      status.className = "save-status " + (kind || "muted");
    };
    const markErrors = (errors) => {
      form.querySelectorAll(".field-error").forEach((el) => el.classList.remove("field-error"));
      Object.keys(errors || {}).forEach((name) => {
        const input = form.elements.namedItem(name);
        if (input && input.classList) input.classList.add("field-error");
      });
    };

    async function save() {
      timer = null;
      if (stopped || !dirty) return;
      if (inFlight) { await inFlight; return save(); }
      dirty = false;
      say(form.dataset.msgSaving);
      inFlight = (async () => {
        try {
          const response = await fetch(form.dataset.saveUrl, {
            method: "POST", body: new FormData(form), credentials: "same-origin",
            headers: { "Accept": "application/json", "X-CSRFToken": token ? token.value : "" },
          });
          const type = response.headers.get("Content-Type") || "";
          const data = type.includes("application/json") ? await response.json() : null;
          if (response.ok && data && data.ok) {
            version.value = String(data.version);
            markErrors({});
            const at = new Date(data.saved_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
            say(form.dataset.msgSaved + " · " + at, "ok");
          } else if (response.status === 409 && data) {
            stopped = true;  // never overwrite what another tab saved
            say(data.error, "error");
            form.classList.add("stale");
          } else if (response.status === 400 && data) {
            markErrors(data.errors || (data.field ? { [data.field]: [data.error] } : {}));
            say(data.error || form.dataset.msgInvalid, "error");
          } else {
            dirty = true;
            say(form.dataset.msgFailed, "error");
          }
        } catch (e) {
          dirty = true;
          say(form.dataset.msgFailed, "error");
          if (!timer) timer = setTimeout(save, 5000);
        }
      })();
      await inFlight;
      inFlight = null;
    }

    const schedule = () => {
      dirty = true;
      if (timer) clearTimeout(timer);
      timer = setTimeout(save, DEBOUNCE_MS);
    };
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);

    document.querySelectorAll("button.level").forEach((button) => {
      button.addEventListener("click", () => {
        const input = document.getElementById(button.dataset.target);
        input.value = button.dataset.score;
        input.dispatchEvent(new Event("change", { bubbles: true }));
        input.focus();
      });
    });

    let submitting = false;
    form.addEventListener("submit", async (event) => {
      const action = event.submitter ? event.submitter.dataset.action : "submit";
      event.preventDefault();
      if (action === "save") { dirty = true; await save(); return; }
      if (submitting || stopped) return;
      if (!window.confirm(form.dataset.msgConfirm)) return;
      submitting = true;
      form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = true; });
      if (timer) clearTimeout(timer);
      if (inFlight) await inFlight;
      if (dirty) await save();
      if (stopped) return;
      form.submit();  // a plain post of the submit action; the server freezes the review
    });

    document.addEventListener("keydown", (event) => {
      if ((event.ctrlKey || event.metaKey) && event.key === "s") {
        event.preventDefault();
        dirty = true;
        save();
      }
    });
    window.addEventListener("beforeunload", (event) => {
      if ((dirty || inFlight) && !submitting && !stopped) { save(); event.preventDefault(); }
    });
  }

  function setupKeys() {
    document.addEventListener("keydown", (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(target.tagName))) return;
      const link = event.key === "j" ? document.querySelector("[data-nav=next]")
        : event.key === "k" ? document.querySelector("[data-nav=prev]") : null;
      if (link) { event.preventDefault(); window.location.assign(link.href); }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    setupFontSize();
    setupKeys();
    const form = document.getElementById("review-form");
    if (form && form.dataset.editable) setupAutosave(form);
  });
})();
