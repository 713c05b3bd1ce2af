// Keeps keyboard focus where the work is: on the open card's first field (or its first bad one) when the page
// loads and after the trail is swapped, so a person can fill card after card without reaching for the mouse.
// Live job updates swap only a card's progress block: they must never move focus (it would land on Cancel).
(function () {
  function focusOpenCard() {
    // A running job's card is current too, but its only control is Cancel: focus stays where it was.
    var card = document.querySelector('#trail [data-current]:not(.job)');
    if (!card) return;
    // After a list's row button, the server marks the row (or list) the keyboard should land on.
    var marked = card.querySelector('[data-focus]');
    var target =
      (marked && marked.querySelector('input:not([type=hidden]):not([disabled]), select, textarea, button:not([disabled])')) ||
      card.querySelector(':is(input, select, textarea)[aria-invalid="true"], [aria-invalid="true"] input') ||
      card.querySelector('form:not(.inline-action) :is(input:not([type=hidden]), select, textarea, button[type=submit])') ||
      card.querySelector('button');
    if (!target || typeof target.focus !== 'function') return;
    target.focus();
    // A pre-filled suggestion is there to be kept or extended: put the caret after it, not before.
    var typed = target.tagName === 'TEXTAREA' || (target.tagName === 'INPUT' && /^(text|search|url|email)$/.test(target.type));
    if (typed) {
      var end = target.value.length;
      target.setSelectionRange(end, end);
    }
  }
  function swappedTrail(event) {
    var ctx = event.detail && event.detail.ctx;
    var target = ctx && ctx.target;
    return !target || target.id === 'trail' || (typeof target === 'string' && target.indexOf('#trail') >= 0);
  }
  document.addEventListener('DOMContentLoaded', focusOpenCard);
  document.addEventListener('htmx:after:swap', function (event) {
    if (swappedTrail(event)) focusOpenCard();
  });
  // A slider names the <output> that shows its value; a search box names the list of options it narrows.
  document.addEventListener('input', function (event) {
    var el = event.target;
    var shows = el.dataset && el.dataset.shows && document.getElementById(el.dataset.shows);
    if (shows) shows.textContent = el.value + (shows.textContent.replace(/^[^ ]*/, '') || '');
    var list = el.dataset && el.dataset.filters && document.getElementById(el.dataset.filters);
    if (!list) return;
    var words = el.value.trim().toLowerCase();
    list.querySelectorAll('label[data-option]').forEach(function (label) {
      label.hidden = words !== '' && label.dataset.option.indexOf(words) < 0 && !label.querySelector('input:checked');
    });
  });
})();
