# Registry of organisations (crate nok-registry): columns, cell values, row errors, file errors.

## Column headers as registry files write them.
reg-col-inn = ИНН
reg-col-full-name = Полное наименование
reg-col-short-name = Краткое наименование
reg-col-ogrn = ОГРН
reg-col-kpp = КПП
reg-col-address = Адрес
reg-col-latitude = Широта
reg-col-longitude = Долгота
reg-col-website = Сайт
reg-col-email = Электронная почта
reg-col-phone = Телефон
reg-col-sphere = Сфера
reg-col-region-code = Код региона
reg-col-municipality = Муниципальное образование
reg-col-authority = Уполномоченный орган
reg-col-population = Число получателей услуг
reg-col-active = Активна

reg-yes = Да
reg-no = Нет
reg-sheet-name = Организации

## Identifiers (ИНН, ОГРН, КПП).
reg-id-empty = значение не указано
reg-id-length = неверная длина: нужно { $expected } { $expected ->
    [one] знак
    [few] знака
   *[many] знаков
}, указано { $actual }
reg-id-personal-inn = 12 цифр — это ИНН физического лица; у организации ИНН из 10 цифр
reg-id-non-digit = { $position }-й символ не цифра
reg-id-kpp-char = { $position }-й символ должен быть цифрой или заглавной латинской буквой
reg-id-checksum = не сходится контрольная цифра: в номере опечатка

## Why a value in a row is not accepted.
reg-err-required = обязательное значение не заполнено
reg-err-too-long = слишком длинное значение: не более { $max } символов
reg-err-out-of-range = значение должно быть от { $min } до { $max }
reg-err-coordinate-pair = нужно указать и широту, и долготу
reg-err-not-url = адрес сайта должен начинаться с http:// или https://, например https://school14.ru
reg-err-not-email = неверный адрес электронной почты
reg-err-unknown-region = неизвестный код региона: нужен код субъекта РФ (01–95)
reg-err-not-number = не число (дробную часть можно отделять запятой)
reg-err-not-count = нужно целое неотрицательное число
reg-err-unknown-sphere = неизвестная сфера: укажите культура, охрана здоровья, образование, социальное обслуживание или МСЭ
reg-err-not-yes-no = нужно «Да» или «Нет»
reg-err-undecodable = нераспознанные символы: проверьте кодировку файла (UTF-8 или Windows-1251)
reg-err-duplicate-inn = этот ИНН уже указан в строке { $row }
reg-err-read = не удалось дочитать файл после этой строки
reg-row-error = Строка { $row }, столбец «{ $column }», значение «{ $value }»: { $reason }
reg-row-error-whole-row = Строка { $row }: { $reason }

## Why a whole file is not accepted.
reg-import-empty = Файл пуст: в нём нет ни одной строки.
reg-import-not-text = Файл не является текстовым CSV. Загрузите таблицу CSV (UTF-8 или Windows-1251) или книгу XLSX.
reg-import-not-xlsx = Файл не является книгой XLSX. Загрузите книгу XLSX или таблицу CSV.
reg-import-legacy-xls = Формат XLS (Excel 97–2003) не поддерживается: сохраните файл как XLSX или CSV.
reg-import-not-a-table = В первых строках файла нет заголовков столбцов. Нужны как минимум: { $columns }.
reg-import-missing-columns = { $n ->
    [one] Нет обязательного столбца
   *[other] Нет обязательных столбцов
}: { $columns }.
reg-import-duplicate-column = Столбец «{ $column }» указан в заголовке дважды.
reg-import-no-sheet = В книге нет ни одного листа.
reg-import-xlsx = Не удалось прочитать книгу XLSX: файл повреждён или защищён паролем.
reg-import-io = Не удалось прочитать файл.
