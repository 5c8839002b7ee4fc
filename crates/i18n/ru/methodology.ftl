# Methodology: labels for values of the НОК methodology (nok-methodology). Names of criteria,
# indicators, questions and checklist items come from the methodology definition files, not from here.
meth-mark-a = установлено нормативными актами
meth-mark-b = по практике операторов, согласуется с актами
meth-mark-c = настраиваемое значение по умолчанию
meth-mark-c-hint = Значение не подтверждено нормативными актами; его можно изменить в версии методики.
meth-no-data = нет данных
meth-policy-no-data = «нет данных» с перераспределением весов внутри критерия
meth-policy-count-as-zero = «считать как 0»
meth-policy-used = Правило при отсутствии данных: { $policy }
meth-policy-applied = Правило применено: { $where }
meth-total = Итоговый показатель
meth-criterion = Критерий
meth-indicator = Показатель
meth-weight = Вес
meth-formula = Формула
meth-value = Значение
meth-level = Уровень
meth-version = Версия методики
meth-effective-from = Действует с
meth-sample-target = Рекомендуемый объём выборки
meth-sample-online-target = Из них через официальную онлайн-анкету
meth-sample-progress = Собрано { $collected } из { $target }
meth-answer-yes = Да
meth-answer-no = Нет
meth-shortcoming = Недостаток
meth-csv-dropped = Отброшено несогласованных ответов: { $n }
