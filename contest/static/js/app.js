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
