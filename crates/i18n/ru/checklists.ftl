# Checklists: regional 1.1 item lists kept by an authority, and evidence files attached to checklist
# items (issue 3).

## Regional lists

cl-regional = региональный перечень
cl-regional-note = Пункты этого раздела — региональный перечень, утверждённый уполномоченным органом; N равно числу его пунктов.
cl-methodology-list = перечень методики
cll-nav = Перечни 1.1
cll-title = Перечни информации для показателя 1.1
cll-lead = Уполномоченный орган может заменить перечень методики для стендов и для сайта своим региональным перечнем на год оценки: добавить, переименовать, переставить и исключить пункты. Чек-листы, выгрузка XLSX и расчёт показателя 1.1 организаций региона и сферы используют региональный перечень (N_стенд и N_сайт — число его пунктов); без него действует перечень методики.
cll-year = Год оценки
cll-show = Показать
cll-open-title = Открыть перечень
cll-open = Открыть
cll-region = Регион
cll-sphere = Сфера
cll-section = Раздел
cll-section-stand = Информационные стенды
cll-section-site = Официальный сайт
cll-col-list = Перечень
cll-col-items = Пунктов
cll-col-kind = Действует
cll-col-updated = Последнее изменение
cll-empty = Региональных перечней за этот год нет; действуют перечни методики.
cll-list-title = Перечень «{ $section }»: { $region }, { $sphere }, { $year } год
cll-back = ← Все перечни
cll-kind-regional = Действует региональный перечень (создан { $created }, изменён { $updated }).
cll-kind-methodology = Действует перечень методики { $methodology }. Чтобы изменить его для региона, создайте региональный перечень — в него будут перенесены все пункты методики.
cll-readonly = Вы можете просматривать перечень, но не изменять его.
cll-start = Создать региональный перечень из перечня методики
cll-col-number = №
cll-col-name = Пункт
cll-col-origin = Источник
cll-col-actions = Действия
cll-origin-methodology = из методики
cll-origin-added = добавлен органом
cll-rename = Переименовать
cll-rename-label = Новое название пункта «{ $name }»
cll-up = Выше
cll-down = Ниже
cll-up-label = Переместить выше: { $name }
cll-down-label = Переместить ниже: { $name }
cll-remove = Исключить
cll-remove-title = Исключить пункт из перечня?
cll-remove-question = Пункт «{ $name }» будет исключён из перечня «{ $list }». Отметки организаций по нему перестанут учитываться, N уменьшится на один.
cll-remove-confirm = Исключить пункт
cll-add-title = Добавить пункт
cll-add-label = Название нового пункта
cll-add = Добавить
cll-reset = Вернуть перечень методики
cll-reset-title = Вернуть перечень методики?
cll-reset-question = Региональный перечень «{ $list }» будет удалён; организации региона снова будут оцениваться по перечню методики.
cll-reset-confirm = Удалить региональный перечень
cll-done = Перечень изменён.
cll-history = История изменений перечня
cll-history-added = добавлен пункт «{ $name }»
cll-history-removed = исключён пункт «{ $name }»
cll-history-renamed = «{ $before }» → «{ $after }»
cll-history-moved = изменён порядок пунктов
cll-err-name-empty = Укажите название пункта.
cll-err-name-long = Название пункта слишком длинное (не больше 1000 знаков).
cll-err-name-duplicate = В перечне уже есть пункт с таким названием.
cll-err-last-item = В перечне должен остаться хотя бы один пункт. Чтобы вернуться к перечню методики, удалите региональный перечень.
cll-err-no-list = Сначала создайте региональный перечень.
cll-err-list-exists = Региональный перечень уже создан.
cll-err-unknown-item = Такого пункта в перечне нет (возможно, его уже исключили).
cll-err-no-default = В этой сфере нет такого перечня.

## Evidence files

cle-title = Файлы подтверждения
cle-lead = К пункту чек-листа можно приложить фотографию или скан: JPEG, PNG или PDF, не больше { $max }. Тип файла определяется по его содержимому, а не по расширению.
cle-files = Файлы
cle-attach = Приложить файл
cle-item = Пункт чек-листа
cle-file = Файл (JPEG, PNG или PDF)
cle-upload = Загрузить
cle-uploaded = Файл загружен.
cle-deleted = Файл удалён.
cle-empty = Файлов пока нет.
cle-col-item = Пункт
cle-col-file = Файл
cle-col-size = Размер
cle-col-uploaded = Загружен
cle-col-actions = Действия
cle-download = Скачать
cle-delete = Удалить
cle-delete-title = Удалить файл подтверждения?
cle-delete-question = Файл «{ $file }» пункта «{ $item }» будет удалён безвозвратно.
cle-delete-confirm = Удалить файл
cle-back = ← К чек-листу
cle-size-kib = { $n } КиБ
cle-size-mib = { $n } МиБ
cle-not-recorded = Файлы можно прикладывать после сохранения чек-листа за этот год.
cle-rejected = Файл «{ $file }» для пункта «{ $item }» не принят: { $reason }
cle-reject-empty = файл пустой или не выбран.
cle-reject-too-large = файл больше { $max }.
cle-reject-format = это не JPEG, PNG или PDF (тип определяется по содержимому файла).
cle-reject-not-recorded = чек-лист за этот год ещё не сохранён — сначала сохраните его.
cle-reject-unknown-item = такого пункта нет в чек-листе.
cle-no-item = выберите пункт

## Audit trail

audit-checklist-save = сохранил(а) чек-лист
audit-checklist-evidence-upload = приложил(а) файл подтверждения
audit-checklist-evidence-delete = удалил(а) файл подтверждения
audit-checklist_list-start = создал(а) региональный перечень
audit-checklist_list-add = добавил(а) пункт перечня
audit-checklist_list-rename = переименовал(а) пункт перечня
audit-checklist_list-move = изменил(а) порядок пунктов
audit-checklist_list-remove = исключил(а) пункт перечня
audit-checklist_list-reset = вернул(а) перечень методики

## Explanation page

sc-explain-regional-lists = Показатель 1.1 рассчитан по региональному перечню ({ $sections }): N — число пунктов регионального перечня.
