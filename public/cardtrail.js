// Keeps keyboard focus where the work goes on, and says aloud what a sighted person sees change:
// - when the page loads and after the trail is swapped, focus moves to the control that continues the work: a
//   message that says why something failed, the first bad field, the job's status while it runs, the open card's first
//   field, Unfinalize after Finalize (the finish card's first button);
//   (after a list's row button, the row the server marks; after Save note, the note just saved, announced);
// - a job's progress is announced politely, at most every 10 seconds, and its end when the trail comes back;
// - "Use the suggestion" puts a changed suggestion into its field.
// Live job updates swap only a card's progress block: they never move focus.
(function () {
  var ANNOUNCE_EVERY_MS = 10000;
  var lastProgress = 0;
  var runningStep = null;

  function announce(text) {
    var region = document.getElementById('announcer');
    if (!region || !text) return;
    region.textContent = '';
    setTimeout(function () {
      region.textContent = text;
    }, 50);
  }

  function caretToEnd(target) {
    var typed = target.tagName === 'TEXTAREA' || (target.tagName === 'INPUT' && /^(text|search|url|email)$/.test(target.type));
    if (typed) {
      var end = target.value.length;
      target.setSelectionRange(end, end);
    }
  }

  function focusable(el) {
    if (!el) return null;
    if (el.matches('p, article, div, section, li') && !el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
    return el;
  }

  /** Where the work goes on, in order of what matters first. */
  function nextControl(trail) {
    var failure = trail.querySelector(':scope > .notice[role=alert], .error-page, [data-current] .job-ending[data-job-status=failed]');
    if (failure) return focusable(failure);
    // A finalized session has no open card: Unfinalize, on the finish card, is what continues the work.
    var card = trail.querySelector('[data-current]') || trail.querySelector('#card-finish.finalized');
    if (!card) return null;
    // A running job: its status, never Cancel, where a second Enter would end the job it just started.
    if (card.classList.contains('job')) return focusable(card.querySelector('.job-live') || card);
    // After a list's row button, the server marks the row (or list) the keyboard should land on.
    var marked = card.querySelector('[data-focus]');
    return (
      (marked && marked.querySelector('input:not([type=hidden]):not([disabled]), select, textarea, button:not([disabled])')) ||
      card.querySelector(':is(input, select, textarea)[aria-invalid="true"], [aria-invalid="true"] input') ||
      card.querySelector('form:not(.inline-action) :is(input:not([type=hidden]), select, textarea, button[type=submit])') ||
      card.querySelector('button')
    );
  }

  function focusTrail() {
    var trail = document.getElementById('trail');
    if (!trail) return;
    var target = nextControl(trail);
    if (!target || typeof target.focus !== 'function') return;
    target.focus();
    caretToEnd(target);
    if (target.classList.contains('job-live')) announce(stepTitle(target.closest('.card')) + ': the job is running.');
  }

  // Focus moves only when the person was working in the trail (or nowhere): reading the side pane while a job
  // ends must not be interrupted.
  function focusWasInTrail() {
    var active = document.activeElement;
    return !active || active === document.body || !active.isConnected || !!(active.closest && active.closest('#trail'));
  }

  function swappedTrail(event) {
    var ctx = event.detail && event.detail.ctx;
    var target = ctx && ctx.target;
    return !target || target.id === 'trail' || (typeof target === 'string' && target.indexOf('#trail') >= 0);
  }

  function jobStep() {
    var card = document.querySelector('#trail .card.job');
    return card ? card.getAttribute('data-step') : null;
  }

  function stepTitle(card) {
    var heading = card && card.querySelector('h2');
    return heading ? heading.textContent.trim() : 'The job';
  }

  /** After the trail came back, says how a job that was running ended. */
  function announceJobEnd() {
    if (!runningStep) return;
    var step = runningStep;
    runningStep = jobStep();
    if (runningStep === step) return;
    var card = document.getElementById('card-' + step);
    var ending = card && card.querySelector('.job-ending');
    announce(ending ? ending.textContent.trim() : stepTitle(card) + ': the job finished.');
  }

  document.addEventListener('DOMContentLoaded', function () {
    runningStep = jobStep();
    focusTrail();
  });
  // A page the browser kept in its back-forward cache shows what was (its job streams closed): ask for it again.
  window.addEventListener('pageshow', function (event) {
    if (event.persisted) location.reload();
  });
  var activeBeforeSwap = null;
  var noteStep = null;
  document.addEventListener('htmx:before:swap', function (event) {
    var kept = keptFrom(event);
    if (kept) {
      event.preventDefault();
      showKept(kept);
      return;
    }
    if (!swappedTrail(event)) return;
    activeBeforeSwap = focusWasInTrail();
    noteStep = noteStepOf(event);
  });

  /**
   * An error answer that would cost the page its work is not swapped in: one with no body (a server or proxy
   * that answered before reading the form), one for the trail that carries no trail, and a 413 (the form was
   * not read, so nothing changed and what was typed is worth keeping). The cards and typed values stay, and a
   * message at the top of the trail says why, with the server's words when it sent any.
   */
  function keptFrom(event) {
    var ctx = event.detail && event.detail.ctx;
    var status = ctx && ctx.response && ctx.response.status;
    if (!status || status < 400) return null;
    var text = ctx.text || '';
    var answer = new DOMParser().parseFromString(text, 'text/html');
    var trailless = swappedTrail(event) && !answer.getElementById('trail');
    if (status !== 413 && text.trim() !== '' && !trailless) return null;
    var said = answer.querySelector('.error-message');
    var reason = said ? said.textContent.trim() : status === 413 ? 'What was sent is too large.' : 'The server answered ' + status + ' without saying why.';
    return reason + ' Nothing was saved; what you typed is still here.';
  }

  function showKept(message) {
    var trail = document.getElementById('trail');
    var place = trail || document.querySelector('main') || document.body;
    var old = place.querySelector(':scope > .notice.kept');
    if (old) old.remove();
    var notice = document.createElement('p');
    notice.className = 'notice kept';
    notice.setAttribute('role', 'alert');
    notice.textContent = message;
    place.prepend(notice);
    focusable(notice).focus();
  }

  /** The step a Save note request was for, or null for any other request. */
  function noteStepOf(event) {
    var elt = event.detail && event.detail.ctx && event.detail.ctx.sourceElement;
    var form = elt && elt.closest && elt.closest('form');
    if (!form || !/\/notes$/.test(form.getAttribute('action') || '')) return null;
    var step = form.querySelector('input[name=step]');
    return step ? step.value : null;
  }

  /** After a note was saved (and nothing failed), the note itself: there, the keyboard sees it was kept. */
  function focusSavedNote(step) {
    var trail = document.getElementById('trail');
    if (!trail || trail.querySelector(':scope > .notice[role=alert], .error-page')) return false;
    var note = trail.querySelector('#card-' + CSS.escape(step) + ' .notes li:last-child');
    if (!note) return false;
    focusable(note).focus();
    announce('Note saved.');
    return true;
  }
  // The session's title follows its values: the tab, the heading and the rename hint show what the trail now carries.
  function retitle() {
    var title = document.getElementById('trail');
    title = title && title.getAttribute('data-title');
    var heading = document.getElementById('session-title');
    if (!title || !heading) return;
    heading.textContent = title;
    document.title = title + ' · Cardtrail';
    // The rename form's hint names what an empty title gives, which follows the values too.
    var derived = document.getElementById('trail').getAttribute('data-derived-title');
    var hint = document.getElementById('derived-title');
    var field = document.getElementById('title-field');
    if (derived === null) return;
    if (hint) hint.textContent = derived;
    if (field) field.placeholder = derived;
  }

  document.addEventListener('htmx:after:swap', function (event) {
    if (!swappedTrail(event)) return;
    retitle();
    announceJobEnd();
    var step = noteStep;
    noteStep = null;
    if (activeBeforeSwap !== false && !(step !== null && focusSavedNote(step))) focusTrail();
    activeBeforeSwap = null;
    if (!runningStep) runningStep = jobStep();
  });
  // Job progress, politely and not too often: the bar's block is swapped on every update.
  document.addEventListener('htmx:sse:after:message', function (event) {
    var live = event.target && event.target.closest && event.target.closest('.job-live');
    if (!live) return;
    runningStep = jobStep() || runningStep;
    var now = Date.now();
    if (now - lastProgress < ANNOUNCE_EVERY_MS) return;
    var count = live.querySelector('.job-count');
    if (!count) return;
    lastProgress = now;
    announce(stepTitle(live.closest('.card')) + ': ' + count.textContent.trim());
  });
  // Escape closes the open "Start a workflow" menu (a <details>) and gives focus back to its summary.
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return;
    var menu = event.target.closest && event.target.closest('details[open]');
    if (!menu) return;
    menu.open = false;
    menu.querySelector('summary').focus();
  });
  // One click puts a changed suggestion into its field; nothing is recorded until the form is sent.
  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('button[data-fill]');
    if (!button) return;
    var field = document.getElementById(button.getAttribute('data-fill'));
    if (!field) return;
    field.value = button.getAttribute('data-value');
    field.dispatchEvent(new Event('input', { bubbles: true }));
    var offer = button.closest('.suggestion');
    if (offer) offer.remove();
    field.focus();
    caretToEnd(field);
    announce('The suggestion is in the field.');
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
