'use strict';
// Turns <select class="nd-choices-autocomplete"> into the admin's select2 box,
// including rows added to an inline later.
{
    const $ = django.jQuery;
    const init = function(root) {
        $(root).find('select.nd-choices-autocomplete').each(function() {
            if (this.name.includes('__prefix__') || $(this).data('select2')) {
                return;
            }
            $(this).select2({
                theme: 'admin-autocomplete',
                placeholder: this.dataset.placeholder || '',
                allowClear: !this.multiple,
            });
        });
    };
    $(function() {
        init(document);
    });
    document.addEventListener('formset:added', (event) => init(event.target));
}
