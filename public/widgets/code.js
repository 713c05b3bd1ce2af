// The code widget's copy button: puts the code's text on the clipboard and says so.
(window.cardtrailWidgets = window.cardtrailWidgets || {}).code = function (output) {
  var button = output.querySelector('[data-copy]');
  var codeEl = output.querySelector('pre code');
  if (!button || !codeEl) return;
  button.addEventListener('click', function () {
    var text = codeEl.textContent;
    var said = function (label) {
      button.textContent = label;
      setTimeout(function () {
        button.textContent = 'Copy';
      }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(function () { said('Copied'); }, function () { said('Copy failed'); });
    else {
      var range = document.createRange();
      range.selectNodeContents(codeEl);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      said(document.execCommand('copy') ? 'Copied' : 'Press Ctrl+C');
    }
  });
};
