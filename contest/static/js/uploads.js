// Upload forms: drag and drop and a progress bar. Without JavaScript the plain form posts
// as usual; with it the same form is sent with XMLHttpRequest and the same server checks.
"use strict";

function setupUpload(form) {
  const input = form.querySelector("input[type=file]");
  const zone = form.querySelector("[data-dropzone]");
  const label = form.querySelector("[data-file-label]");
  const bar = form.querySelector("[data-progress]");
  const box = form.querySelector("[data-upload-errors]");
  const button = form.querySelector("button[type=submit]");
  const maxBytes = Number(form.dataset.maxBytes || 0);

  const showErrors = (messages) => {
    box.replaceChildren(...messages.map((text) => {
      const p = document.createElement("p");
      p.textContent = text;  // never HTML: messages may quote a file name
      return p;
    }));
  };
  const showName = () => {
    // The file input already shows the chosen name; the hint is only for an empty zone.
    label.textContent = input.files.length ? "" : label.dataset.empty;
    box.replaceChildren();
    if (input.files.length && maxBytes && input.files[0].size > maxBytes) {
      showErrors([box.dataset.tooLarge]);
    }
  };
  ["dragenter", "dragover"].forEach((name) => zone.addEventListener(name, (event) => {
    event.preventDefault();
    zone.classList.add("dragging");
  }));
  ["dragleave", "drop"].forEach((name) => zone.addEventListener(name, (event) => {
    event.preventDefault();
    zone.classList.remove("dragging");
  }));
  zone.addEventListener("drop", (event) => {
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      showName();
    }
  });
  input.addEventListener("change", showName);
  // The phone's camera (contests that accept images): the photo becomes the form's file.
  const camera = form.querySelector("[data-camera]");
  const cameraButton = form.querySelector("[data-camera-button]");
  if (camera && cameraButton) {
    cameraButton.hidden = false;
    camera.addEventListener("change", () => {
      if (!camera.files.length) return;
      input.files = camera.files;
      showName();
    });
  }

  const finish = () => {
    delete form.dataset.busy;
    button.disabled = false;
    bar.hidden = true;
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (form.dataset.busy) return;  // a double click sends once
    if (input.files.length && maxBytes && input.files[0].size > maxBytes) {
      showErrors([box.dataset.tooLarge]);
      return;
    }
    form.dataset.busy = "1";
    button.disabled = true;
    box.replaceChildren();
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("action") || window.location.href);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", (progress) => {
      if (!progress.lengthComputable) return;
      bar.hidden = false;
      bar.value = Math.round((100 * progress.loaded) / progress.total);
      bar.textContent = `${bar.value}%`;
    });
    xhr.addEventListener("load", () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch (err) { data = null; }
      if (xhr.status < 300 && data && data.redirect) {
        window.location.assign(data.redirect);
        return;
      }
      if (xhr.status === 413) showErrors([box.dataset.tooLarge]);
      else showErrors(data && data.errors ? data.errors : [box.dataset.failed]);
      finish();
    });
    xhr.addEventListener("error", () => { showErrors([box.dataset.failed]); finish(); });
    xhr.send(new FormData(form));
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-upload-form]").forEach(setupUpload);
});
