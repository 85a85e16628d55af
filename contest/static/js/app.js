// Progressive enhancement only; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});

// School names as you type: inputs with data-suggest get a datalist filled from the small JSON
// endpoint, for the region chosen in the same form.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[data-suggest]").forEach((input) => {
    const list = document.createElement("datalist");
    list.id = input.id + "-suggestions";
    input.setAttribute("list", list.id);
    input.after(list);
    const region = input.form && input.form.querySelector("select[name=region]");
    let timer = null;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        if (!region || !region.value || input.value.trim().length < 2) return;
        const url = `${input.dataset.suggest}?region=${encodeURIComponent(region.value)}&q=${encodeURIComponent(input.value)}`;
        const response = await fetch(url, {credentials: "same-origin"});
        if (!response.ok) return;
        list.replaceChildren(...(await response.json()).map((name) => {
          const option = document.createElement("option");
          option.value = name;
          return option;
        }));
      }, 200);
    });
  });
});

// Header menu on narrow screens: the Menu button shows and hides the links (CSS hides them
// only once this script has run, so without JavaScript they stay visible).
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".menu-toggle");
  const header = document.querySelector(".site-header");
  if (!toggle || !header) return;
  toggle.hidden = false;
  toggle.addEventListener("click", () => {
    const open = header.classList.toggle("menu-open");
    toggle.setAttribute("aria-expanded", String(open));
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && header.classList.contains("menu-open")) {
      header.classList.remove("menu-open");
      toggle.setAttribute("aria-expanded", "false");
      toggle.focus();
    }
  });
});

// A table or chart that scrolls sideways inside its box can be scrolled from the keyboard.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".table-scroll, figure.chart").forEach((box) => {
    if (!box.hasAttribute("tabindex")) box.tabIndex = 0;
  });
});

// Phones: a tab row that scrolls sideways shows its current tab (the page does not move).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".tabs a.current").forEach((tab) => {
    const row = tab.parentElement;
    if (row.scrollWidth > row.clientWidth) {
      row.scrollLeft = tab.offsetLeft - row.offsetLeft - (row.clientWidth - tab.offsetWidth) / 2;
    }
  });
});
