// OpenNOK questionnaire: hides the questions a filter question skips ("Нет" → go on), live.
// Progressive only: without this script every question is shown and the server ignores skipped answers.
(function () {
  'use strict';
  var form = document.querySelector('form.anketa');
  if (!form) { return; }
  var dependent = form.querySelectorAll('fieldset[data-filter]');

  function filterSaysYes(name) {
    var yes = form.querySelector('input[name="' + name + '"][value="yes"]');
    return !!(yes && yes.checked);
  }

  function update() {
    for (var i = 0; i < dependent.length; i++) {
      var fs = dependent[i];
      var show = filterSaysYes(fs.getAttribute('data-filter'));
      fs.hidden = !show;
      var inputs = fs.querySelectorAll('input');
      for (var j = 0; j < inputs.length; j++) { inputs[j].disabled = !show; }
    }
  }

  form.addEventListener('change', update);
  update();
  var summary = document.getElementById('error-summary');
  if (summary) { summary.focus(); }
})();
