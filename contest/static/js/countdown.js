// Contest page: show the deadline in the visitor's own time zone and count down to it.
// Without JavaScript the page shows the time in the contest's zone (server-rendered).
(function () {
  "use strict";
  const lang = document.documentElement.lang || "kk";
  const pad = (n) => String(n).padStart(2, "0");

  // Browsers without data for the page's language (often Kazakh) would print "2026 M12 5":
  // then use a language-neutral numeric date (05.12.2026, 19:27) instead of another language's words.
  function formatLocal(when) {
    const monthName = new Intl.DateTimeFormat(lang, { month: "long" }).format(new Date(2020, 0, 15));
    if (!/^M?\d+$/.test(monthName)) {
      return new Intl.DateTimeFormat(lang, { dateStyle: "long", timeStyle: "short" }).format(when);
    }
    const numeric = { day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit",
                      hourCycle: "h23" };
    return new Intl.DateTimeFormat("ru", numeric).format(when);
  }

  // The visitor's zone in the page's language ("Восточный Казахстан"); the IANA city
  // ("Almaty", not "Asia/Almaty") when the browser has no names for that language.
  function zoneName(when) {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    try {
      const part = new Intl.DateTimeFormat(lang, { timeZoneName: "long" }).formatToParts(when)
        .find((p) => p.type === "timeZoneName");
      if (part && !/^(GMT|UTC)/.test(part.value)) return part.value;
    } catch (e) { /* fall through */ }
    return zone.split("/").pop().replace(/_/g, " ");
  }

  function localize() {
    document.querySelectorAll("time[data-local-time]").forEach((el) => {
      const when = new Date(el.dataset.deadline);
      if (Number.isNaN(when.getTime())) return;
      el.textContent = formatLocal(when);
      const note = el.parentElement.querySelector("[data-tz-note]");
      if (note) note.textContent = "(" + zoneName(when) + ")";
    });
  }

  function tick(el) {
    const left = new Date(el.dataset.deadline).getTime() - Date.now();
    if (Number.isNaN(left)) return false;
    if (left <= 0) {
      el.textContent = el.dataset.labelDone;
      return false;
    }
    const s = Math.floor(left / 1000);
    const days = Math.floor(s / 86400);
    const clock = pad(Math.floor((s % 86400) / 3600)) + ":" + pad(Math.floor((s % 3600) / 60)) + ":" + pad(s % 60);
    el.textContent = (days ? days + " " + el.dataset.labelDays + " " : "") + clock;
    return true;
  }

  document.addEventListener("DOMContentLoaded", () => {
    localize();
    document.querySelectorAll("[data-countdown]").forEach((el) => {
      if (!tick(el)) return;
      const timer = setInterval(() => { if (!tick(el)) clearInterval(timer); }, 1000);
    });
  });
})();
