// Keeps keyboard focus where the work is: on the open card's first field (or its first bad one) when a page
// loads and after every swap, so a person can fill card after card without reaching for the mouse.
(function () {
  function focusOpenCard() {
    var card = document.querySelector('#trail [data-current]');
    if (!card) return;
    var target =
      card.querySelector(':is(input, select, textarea)[aria-invalid="true"], [aria-invalid="true"] input') ||
      card.querySelector('input:not([type=hidden]), select, textarea, button');
    if (!target || typeof target.focus !== 'function') return;
    target.focus();
    // A pre-filled suggestion is there to be kept or extended: put the caret after it, not before.
    var typed = target.tagName === 'TEXTAREA' || (target.tagName === 'INPUT' && /^(text|search|url|email)$/.test(target.type));
    if (typed) {
      var end = target.value.length;
      target.setSelectionRange(end, end);
    }
  }
  document.addEventListener('DOMContentLoaded', focusOpenCard);
  document.addEventListener('htmx:after:swap', focusOpenCard);
})();
