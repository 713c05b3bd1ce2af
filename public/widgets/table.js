// The table widget: Tabulator over the server's rows route, a page at a time (remote pagination and sorting),
// so a 100,000-row table keeps only one page of rows in the DOM.
(window.cardtrailWidgets = window.cardtrailWidgets || {}).table = function (output) {
  var figure = output.querySelector('.table-widget');
  var mount = figure && figure.querySelector('.table-mount');
  if (!mount || typeof Tabulator === 'undefined') return;
  var columns = JSON.parse(figure.getAttribute('data-columns'));
  var holder = document.createElement('div');
  mount.replaceChildren(holder);
  var table = new Tabulator(holder, {
    columns: columns.map(function (c) {
      return { title: c.title, field: c.field, headerSort: true };
    }),
    layout: 'fitDataFill',
    pagination: true,
    paginationMode: 'remote',
    sortMode: 'remote',
    paginationSize: Number(figure.getAttribute('data-page-size')) || 20,
    paginationCounter: 'rows',
    ajaxURL: figure.getAttribute('data-rows'),
    placeholder: 'No rows',
  });
  table.on('tableBuilt', function () {
    // Column headers sort with the keyboard too: focusable, and Enter or Space acts as a click.
    figure.querySelectorAll('.tabulator-col').forEach(function (col) {
      col.tabIndex = 0;
      col.addEventListener('keydown', function (event) {
        if (event.key !== 'Enter' && event.key !== ' ') return;
        event.preventDefault();
        (col.querySelector('.tabulator-col-title') || col).click();
      });
    });
    figure.setAttribute('data-ready', '');
  });
};
