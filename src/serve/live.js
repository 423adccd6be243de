// kbgen serve: reloads the page after each rebuild and shows build errors on
// top of it until the file is fixed. Injected into every served HTML page.
(() => {
  "use strict";
  let overlay = null;

  function hide() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  function show(errors) {
    hide();
    overlay = document.createElement("div");
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-label", "Build errors");
    overlay.style.cssText =
      "position:fixed;inset:auto 1rem 1rem 1rem;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "background:#2b0d0d;color:#ffe9e9;border:2px solid #ff6b6b;border-radius:8px;padding:1rem 1.25rem;" +
      "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 8px 30px rgba(0,0,0,.4)";
    const title = document.createElement("strong");
    title.textContent = errors.length === 1 ? "kbgen: 1 error — the last good version is shown" : `kbgen: ${errors.length} errors — the last good version is shown`;
    title.style.cssText = "display:block;margin-bottom:.5rem;color:#fff";
    overlay.append(title);
    const list = document.createElement("ul");
    list.style.cssText = "margin:0;padding-left:1.2rem";
    for (const e of errors) {
      const item = document.createElement("li");
      const place = e.line ? `${e.path}:${e.line}:${e.column}` : e.path;
      item.textContent = `${place}: ${e.message}` + (e.help ? ` (help: ${e.help})` : "");
      list.append(item);
    }
    overlay.append(list);
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "Dismiss";
    close.style.cssText = "margin-top:.75rem;font:inherit;color:#2b0d0d;background:#ffe9e9;border:0;border-radius:4px;padding:.2rem .6rem;cursor:pointer";
    close.addEventListener("click", hide);
    overlay.append(close);
    document.body.append(overlay);
  }

  const events = new EventSource("/__kbgen/events");
  events.onmessage = (message) => {
    const data = JSON.parse(message.data);
    if (data.kind === "reload") {
      location.reload();
    } else if (data.kind === "errors") {
      show(data.errors);
    } else if (data.kind === "ok") {
      hide();
    }
  };
})();
