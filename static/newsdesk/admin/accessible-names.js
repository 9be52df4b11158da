'use strict';
// Names for the controls the stock admin renders without one, so screen
// readers announce what each is: autocomplete boxes, the date and time halves
// of a date-time field, cells of tabular inlines, icon hints, empty filter links.
{
    const text = (element) => (element ? element.textContent.replace(/[:*?]/g, '').trim() : '');

    const rowLabel = (element) => {
        const row = element.closest('.form-row, .fieldBox, fieldset');
        const label = row && (row.querySelector('label[for="' + element.id + '"]') || row.querySelector('label'));
        return text(label);
    };

    const columnLabel = (cell) => {
        const table = cell.closest('table');
        const name = Array.from(cell.classList).find((c) => c.startsWith('field-'));
        if (!table || !name) {
            return '';
        }
        return text(table.querySelector('thead th.column-' + name.slice('field-'.length)));
    };

    const nameIt = (element, name) => {
        if (name && !element.getAttribute('aria-label') && !element.getAttribute('aria-labelledby')) {
            element.setAttribute('aria-label', name);
        }
    };

    const fix = (root) => {
        // Autocomplete boxes (select2): the combobox and its search field.
        root.querySelectorAll('select.admin-autocomplete, select.nd-choices-autocomplete').forEach((select) => {
            const box = select.nextElementSibling;
            if (!box || !box.classList.contains('select2')) {
                return;
            }
            const cell = select.closest('td');
            const name = (cell && columnLabel(cell)) || rowLabel(select);
            box.querySelectorAll('.select2-selection').forEach((combo) => {
                combo.removeAttribute('aria-labelledby');
                combo.setAttribute('aria-label', name);
            });
            box.querySelectorAll('.select2-search__field, [role=textbox]').forEach((field) => nameIt(field, name));
        });
        // The date and the time input of a split date-time field.
        root.querySelectorAll('p.datetime').forEach((p) => {
            const input = p.querySelector('input');
            const name = input ? rowLabel(input) : '';
            p.querySelectorAll('input.vDateField').forEach((i) => nameIt(i, (name + ' date').trim()));
            p.querySelectorAll('input.vTimeField').forEach((i) => nameIt(i, (name + ' time').trim()));
        });
        // Cells of tabular inlines carry their column's heading.
        root.querySelectorAll('.tabular td').forEach((cell) => {
            const name = cell.classList.contains('delete') ? 'Delete row' : columnLabel(cell);
            cell.querySelectorAll('input:not([type=hidden]), select, textarea').forEach((c) => nameIt(c, name));
        });
        // Hint icons next to filter boxes are images with a description.
        root.querySelectorAll('.help-tooltip[aria-label]:not([role])').forEach((icon) => icon.setAttribute('role', 'img'));
        // A filter choice for an empty value says so.
        root.querySelectorAll('#changelist-filter a').forEach((link) => {
            if (!link.textContent.trim()) {
                link.textContent = '(empty)';
            }
        });
    };

    window.addEventListener('load', () => setTimeout(() => fix(document), 0));
    document.addEventListener('formset:added', (event) => setTimeout(() => fix(event.target), 0));
}
