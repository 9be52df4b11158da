/* Quick edit in the article list: the row menu's "Quick edit" opens the form
   under the row instead of its own page, saves it without leaving the list,
   and refreshes the row from the list as the server now shows it.
   Without this script the link opens the same form on a page of its own. */
(function () {
  "use strict";

  const HEADERS = { "X-Quick-Edit": "1" };

  function announce(text, level) {
    let list = document.querySelector("ul.messagelist");
    if (!list) {
      list = document.createElement("ul");
      list.className = "messagelist";
      const content = document.getElementById("content");
      content.parentNode.insertBefore(list, content);
    }
    list.setAttribute("role", "status");
    const item = document.createElement("li");
    item.className = level;
    item.textContent = text;
    list.replaceChildren(item);
  }

  function close(editRow, row, focus) {
    if (editRow.quickForm) {
      editRow.quickForm.remove();
    }
    editRow.remove();
    row.hidden = false;
    const link = row.querySelector("a.nd-row-quick");
    if (focus && link) {
      link.focus();
    }
  }

  async function refreshRow(row) {
    // The row as the list now shows it (status badge, pending changes, menu);
    // the checkbox cell stays, so row selection keeps working.
    const box = row.querySelector("input.action-select");
    const response = await fetch(window.location.href, { credentials: "same-origin" });
    if (!response.ok || !box) {
      return false;
    }
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const freshBox = Array.from(
      page.querySelectorAll("#result_list input.action-select")
    ).find((input) => input.value === box.value);
    if (!freshBox) {
      return false;
    }
    const fresh = freshBox.closest("tr");
    Array.from(row.cells).forEach((cell, index) => {
      const other = fresh.cells[index];
      if (other && !cell.classList.contains("action-checkbox")) {
        cell.replaceChildren(...Array.from(other.childNodes).map((n) => document.importNode(n, true)));
      }
    });
    return true;
  }

  function place(editRow, html) {
    // The list is itself a form (the bulk actions) and forms do not nest: the
    // fields go in the row, owned through their form attribute by a form of
    // their own outside the list.
    const template = document.createElement("template");
    template.innerHTML = html;
    const source = template.content.querySelector("form.nd-quick-edit");
    const form = document.createElement("form");
    form.id = `nd-quick-form-${source.dataset.article}`;
    form.method = "post";
    form.action = source.getAttribute("action");
    form.noValidate = true;
    form.hidden = true;
    document.getElementById("nd-quick-forms").append(form);
    const panel = document.createElement("div");
    panel.className = source.className;
    panel.setAttribute("role", "form");
    panel.setAttribute("aria-labelledby", source.getAttribute("aria-labelledby"));
    panel.append(...source.childNodes);
    panel.querySelectorAll("input, textarea, select, button").forEach((field) => {
      field.setAttribute("form", form.id);
    });
    editRow.cells[0].replaceChildren(panel);
    editRow.quickForm = form;
    return { form, panel };
  }

  function wire(editRow, row, html) {
    if (editRow.quickForm) {
      editRow.quickForm.remove();
    }
    const { form, panel } = place(editRow, html);
    const invalid = panel.querySelector(".errors input, .errors textarea");
    (invalid || panel.querySelector("[name=headline]")).focus();
    panel.querySelector(".nd-quick-cancel").addEventListener("click", (event) => {
      event.preventDefault();
      close(editRow, row, true);
    });
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        close(editRow, row, true);
      }
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      save(form, panel, editRow, row);
    });
  }

  async function save(form, panel, editRow, row) {
    const status = panel.querySelector(".nd-quick-status");
    const button = panel.querySelector("button[type=submit]");
    button.disabled = true;
    status.textContent = "Saving…";
    let data = null;
    let code = 0;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: HEADERS,
        credentials: "same-origin",
      });
      code = response.status;
      data = await response.json();
    } catch (error) {
      data = null;
    }
    if (data && data.saved) {
      const refreshed = await refreshRow(row).catch(() => false);
      close(editRow, row, true);
      announce(data.message, "success");
      if (!refreshed) {
        window.location.reload();
      }
      return;
    }
    if (data && data.form) {
      wire(editRow, row, data.form);
      return;
    }
    button.disabled = false;
    status.textContent = `Not saved (the server answered ${code || "nothing"}); nothing was written. Try again, or open the article.`;
  }

  async function open(link) {
    const row = link.closest("tr");
    const next = row.nextElementSibling;
    if (next && next.classList.contains("nd-quick-row")) {
      next.querySelector("[name=headline]").focus();
      return;
    }
    let response;
    try {
      response = await fetch(link.href, { headers: HEADERS, credentials: "same-origin" });
    } catch (error) {
      response = null;
    }
    if (!response || !response.ok) {
      window.location.assign(link.href); // the page says what went wrong
      return;
    }
    const editRow = document.createElement("tr");
    editRow.className = "nd-quick-row";
    const cell = document.createElement("td");
    cell.colSpan = row.cells.length;
    editRow.append(cell);
    row.after(editRow);
    row.hidden = true;
    wire(editRow, row, await response.text());
  }

  function formsHolder() {
    if (!document.getElementById("nd-quick-forms")) {
      const holder = document.createElement("div");
      holder.id = "nd-quick-forms";
      document.body.append(holder);
    }
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("#result_list a.nd-row-quick");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) {
      return;
    }
    event.preventDefault();
    formsHolder();
    open(link);
  });
})();
