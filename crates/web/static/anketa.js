// OpenNOK questionnaire: reveals a follow-up question live when its filter question gets «Да» (and hides it
// again on «Нет»), so a respondent with JavaScript answers everything on one page. Progressive only: the
// server renders follow-ups hidden unless their filter is «Да» and, without this script, asks them on a
// second step.
(function () {
  'use strict';
  var form = document.querySelector('form.anketa');
  if (!form) { return; }
  var dependent = form.querySelectorAll('fieldset[data-filter]');

  // On the second step an earlier answer is a hidden field rather than a radio button.
  function filterSaysYes(name) {
    var yes = form.querySelector('input[name="' + name + '"][value="yes"]');
    return !!(yes && (yes.type === 'hidden' || yes.checked));
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
  var lead = document.getElementById('error-summary') || document.getElementById('step-lead');
  if (lead) { lead.focus(); }
})();
