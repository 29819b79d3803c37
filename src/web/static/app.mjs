// Progressive enhancement only: every page works without this script.
import { initAll } from '/web-assets/govuk-frontend.min.js';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');
initAll();

// "Show this page as at": the field holds a local date and time; the server wants an instant with a zone.
for (const form of document.querySelectorAll('form[data-as-at]')) {
  form.addEventListener('submit', () => {
    const field = form.querySelector('input[name="asAtLocal"]');
    const hidden = form.querySelector('input[name="asAt"]');
    if (field && hidden && field.value) hidden.value = new Date(field.value).toISOString();
  });
}
