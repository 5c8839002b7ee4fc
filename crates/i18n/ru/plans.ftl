# Improvement plans (планы по устранению недостатков): the cabinet, the authority's table, the public
# organisation page and the API.

## Shortcomings offered from the checklist and the indicators (stored as the item's text).
plan-offer-absent = Отсутствует: { $item }
plan-offer-remote = Не указан на сайте или не работает: { $item }
plan-offer-comment = . Замечание оператора: { $comment }
plan-offer-indicator = Низкое значение показателя { $id } «{ $name }»: { $value } из 100

## Statuses.
plan-item-planned = Запланировано
plan-item-in-progress = В работе
plan-item-done = Выполнено
plan-item-overdue = Просрочено
plan-state-draft = Черновик
plan-state-published = Опубликован
plan-state-none = Не составлен
plan-progress = выполнено { $done } из { $total }

## The plan of one organisation (cabinet).
plan-nav = Планы устранения недостатков
plan-title = План по устранению недостатков на { $year } год
plan-to-checklist = Чек-лист оператора за этот год
plan-to-public = План на странице организации
plan-from-checklist = Перенести недостатки в план по их устранению
plan-none = План на этот год ещё не составлен.
plan-create = Составить план
plan-not-approved = не указано
plan-readonly = Вы можете просматривать план; изменять его могут сотрудники организации.
plan-items-title = Недостатки и мероприятия
plan-items-empty = В плане пока нет ни одного пункта.
plan-col-reports = Сведения о ходе реализации
plan-col-actions = Действия
plan-col-responsible = Ответственный
plan-col-done-what = Что сделано
plan-missing = Не заполнено
plan-edit = Изменить
plan-report = Отчитаться
plan-delete = Удалить
plan-offers-title = Недостатки из чек-листа и показателей
plan-offers-hint = Каждый отсутствующий пункт чек-листа оператора и каждый показатель ниже 80 баллов, которые ещё не внесены в план. Добавленные пункты остаются незаполненными: мероприятие, срок и ответственного укажите затем в каждом из них.
plan-offers-empty = Новых недостатков нет: всё, что найдено в чек-листе и показателях, уже в плане (или чек-лист ещё не заполнен).
plan-offers-add = Добавить недостатки в план
plan-add-title = Добавить пункт плана
plan-add = Добавить пункт
plan-draft-hint = В черновике мероприятие, срок и ответственного можно заполнить позже; перед публикацией они обязательны.
plan-published-hint = План опубликован: у каждого пункта должны быть мероприятие, срок и ответственный.
plan-measure-hint = Что будет сделано для устранения недостатка.
plan-date-hint = Дата в формате ДД.ММ.ГГГГ.
plan-status-hint = «Просрочено» ставится само, если срок прошёл, а пункт не выполнен.
plan-approval-title = Утверждение учредителем
plan-approval-hint = Дата утверждения плана учредителем (ДД.ММ.ГГГГ). Оставьте поле пустым, если план ещё не утверждён.
plan-approval-save = Сохранить дату
plan-publish-title = Публикация
plan-publish-hint = Опубликованный план виден всем на странице организации и в открытых данных, вместе с ходом его выполнения.
plan-publish = Опубликовать план
plan-publish-empty = Нельзя опубликовать пустой план: добавьте хотя бы один пункт.
plan-publish-incomplete = Нельзя опубликовать план, пока не у всех пунктов заполнены мероприятие, срок, ФИО и должность ответственного.
plan-incomplete-count = Пунктов, которые нужно дополнить
plan-history = История изменений
plan-edit-title = Изменение пункта плана
plan-save = Сохранить
plan-report-title = Сведения о ходе реализации
plan-report-legend = Что сделано
plan-what-done-hint = Реально принятые меры — их увидят на странице организации.
plan-details-hint = Необязательно: документы, объёмы, примечания.
plan-report-save = Сохранить сведения
plan-delete-title = Удалить пункт плана?
plan-delete-question = Пункт будет удалён вместе со сведениями о ходе его реализации. В истории изменений останется запись о нём.
plan-delete-confirm = Удалить пункт
plan-source-checklist = из чек-листа оператора (показатель { $indicator })
plan-source-indicator = по значению показателя { $indicator }

## Notices after a change.
plan-done-created = План создан.
plan-done-prefilled = Недостатки добавлены в план. Заполните мероприятие, срок и ответственного в каждом из них.
plan-done-prefill-none = Новых недостатков для добавления нет.
plan-done-added = Пункт добавлен.
plan-done-updated = Пункт сохранён.
plan-done-deleted = Пункт удалён.
plan-done-reported = Сведения о ходе реализации сохранены.
plan-done-published = План опубликован.
plan-done-approved = Дата утверждения сохранена.

## Fields and their errors.
plan-field-criterion = Раздел (критерий)
plan-field-shortcoming = Недостаток
plan-field-measure = Мероприятие
plan-field-deadline = Плановый срок
plan-field-responsible-name = ФИО ответственного
plan-field-responsible-position = Должность ответственного
plan-field-status = Статус
plan-field-approved-on = Дата утверждения
plan-field-done-on = Дата выполнения
plan-field-what-done = Реально принятые меры
plan-field-details = Подробности
plan-field-complete = Мероприятие выполнено полностью
plan-field-items = Пункты плана
plan-field-form = Форма
plan-err-required = заполните это поле.
plan-err-required-published = обязательно для опубликованного плана.
plan-err-too-long = слишком длинный текст.
plan-err-criterion = выберите раздел из списка.
plan-err-date = укажите дату в формате ДД.ММ.ГГГГ.
plan-err-future = дата не может быть позже сегодняшней.
plan-err-rejected = значение не принято.
plan-err-empty = в плане нет пунктов.
plan-err-incomplete = не у всех пунктов заполнены обязательные поля.

## The plans table (authority, council, monitor, operator).
plan-list-title = Планы по устранению недостатков
plan-list-lead = Планы организаций за год: составлен ли план, утверждён и опубликован ли он, сколько мероприятий выполнено и сколько просрочено.
plan-search = Название или ИНН
plan-filter-year = Год оценки
plan-filter-state = План
plan-filter-all = Все организации
plan-filter-none = Без плана
plan-filter-draft = Черновик
plan-filter-published = Опубликован
plan-filter-overdue = С просроченными мероприятиями
plan-summary = Итого за { $year } год
plan-summary-orgs = Организаций
plan-summary-with-plan = С планом
plan-summary-published = План опубликован
plan-progress-label = Выполнение плана
plan-overdue-count = Просрочено мероприятий
plan-overdue-word = просрочено
plan-orgs = Организации
plan-list-empty = Нет организаций, подходящих под условия.
plan-col-name = Организация
plan-col-inn = ИНН
plan-col-region = Регион
plan-col-sphere = Сфера
plan-col-state = План
plan-col-approved = Утверждён учредителем
plan-col-published = Опубликован
plan-col-items = Мероприятий
plan-col-done = Выполнено
plan-col-overdue = Просрочено

## The public organisation page and the API.
plan-public-title = План по устранению недостатков на { $year } год
plan-approved-on = Утверждён учредителем
plan-published-on = Опубликован
plan-public-empty = В опубликованном плане нет пунктов.
intake-err-no_published_plan = У организации нет опубликованного плана по устранению недостатков.

## Audit log.
audit-plan-create = создал(а) план
audit-plan-approve = указал(а) дату утверждения плана
audit-plan-publish = опубликовал(а) план
audit-plan-prefill = добавил(а) в план недостатки из чек-листа и показателей
audit-plan-item-create = добавил(а) пункт плана
audit-plan-item-update = изменил(а) пункт плана
audit-plan-item-delete = удалил(а) пункт плана
audit-plan-progress-create = сообщил(а) о ходе реализации
