# Web: layout, navigation, common controls.
app-tagline = Независимая оценка качества условий оказания услуг
skip-to-content = Перейти к содержанию
nav-main = Основная навигация
nav-home = Главная
nav-registry = Реестр организаций
nav-users = Пользователи
nav-audit = Журнал действий
nav-login = Войти
nav-logout = Выйти
low-vision-on = Версия для слабовидящих
low-vision-off = Обычная версия
footer-text = OpenNOK — открытая платформа независимой оценки качества. Данные о гражданах защищены по 152-ФЗ.
pager-label = Страницы
pager-prev = ← Предыдущая
pager-next = Следующая →
pager-page = Страница
confirm-yes = Да, подтверждаю
confirm-cancel = Отмена
status-active = действует
status-inactive = выведена из реестра

# Errors
error-400-title = Запрос не может быть выполнен
error-400-text = Проверьте введённые данные и попробуйте ещё раз.
error-403-title = Доступ запрещён
error-403-text = У вас нет прав на эту страницу или действие.
error-404-title = Страница не найдена
error-404-text = Такой страницы нет. Возможно, ссылка устарела или в адресе опечатка.
error-413-title = Файл слишком большой
error-413-text = Размер файла превышает допустимый.
error-429-title = Слишком много запросов
error-429-text = Подождите немного и повторите попытку.
error-500-title = Внутренняя ошибка
error-500-text = Что-то пошло не так. Мы уже знаем об ошибке; попробуйте позже.
error-csrf = Форма устарела или отправлена не с этого сайта. Обновите страницу и отправьте форму ещё раз.

# Roles and scopes
role-admin = администратор
role-authority = уполномоченный орган
role-council = общественный совет
role-operator = оператор
role-staff = сотрудник организации
role-monitor = федеральный мониторинг
scope-all = все
scope-operator = оператор
scope-organization = организация

# Sign-in and password
login-title = Вход в личный кабинет
login-login = Логин
login-password = Пароль
login-submit = Войти
login-failed = Неверный логин или пароль.
login-locked = Слишком много неудачных попыток входа. Попробуйте снова через { $minutes } { $minutes ->
    [one] минуту
    [few] минуты
   *[many] минут
}.
password-title = Смена пароля
password-current = Текущий пароль
password-new = Новый пароль
password-repeat = Новый пароль ещё раз
password-hint = Не короче 10 символов.
password-submit = Сменить пароль
password-changed = Пароль изменён.
password-mismatch = Новые пароли не совпадают.
password-wrong-current = Текущий пароль указан неверно.
password-too-short = Пароль должен быть не короче { $n } символов.

# Home and search
home-title = Оценка качества условий оказания услуг
home-lead = Найдите организацию культуры, здравоохранения, образования, социального обслуживания или МСЭ, чтобы узнать её оценку и оставить своё мнение.
home-count = Организаций в реестре
search-label = Название или ИНН
search-placeholder = например, «школа № 14» или 7604012345
search-submit = Найти
search-results = Найдено
search-empty = Ничего не найдено. Проверьте написание или уберите часть фильтров.
filter-region = Регион
filter-sphere = Сфера
filter-any = любой
filter-inactive = показывать выведенные из реестра

# Registry
registry-title = Реестр организаций
registry-new = Добавить организацию
registry-import = Загрузить из файла
registry-export = Выгрузить
registry-found = Найдено организаций
registry-empty = Организаций по этим условиям нет. Измените поиск или загрузите реестр из файла.
registry-edit = Изменить карточку
registry-deactivate = Вывести из реестра
registry-activate = Вернуть в реестр
registry-deactivate-confirm = Организация перестанет показываться гражданам и не попадёт в новые оценки. Данные и история сохранятся. Продолжить?
registry-activate-confirm = Организация снова появится в реестре и на портале. Продолжить?
registry-col-name = Наименование
registry-col-inn = ИНН
registry-col-region = Регион
registry-col-sphere = Сфера
registry-col-population = Получателей услуг в год
registry-col-status = Статус
col-inn = ИНН
col-full_name = Полное наименование
col-short_name = Краткое наименование
col-ogrn = ОГРН
col-kpp = КПП
col-address = Адрес
col-latitude = Широта
col-longitude = Долгота
col-website = Сайт
col-email = Электронная почта
col-phone = Телефон
col-sphere = Сфера
col-region_code = Регион
col-municipality = Муниципальное образование
col-authority = Уполномоченный орган
col-population = Число получателей услуг в год
col-public_id = Код для QR
history-title = История изменений
history-empty = Изменений пока нет.
history-field = Поле
history-before = Было
history-after = Стало
form-errors-title = Исправьте ошибки
form-bad-value = значение не распознано
form-choose-sphere = выберите сферу
form-inn-taken = организация с таким ИНН уже есть в реестре
form-save = Сохранить

# Import
import-help = Файл CSV (UTF-8 или Windows-1251, разделитель «;» или «,») или XLSX с заголовками «ИНН», «Полное наименование», «Сфера», «Код региона» и другими. Если хотя бы одна строка содержит ошибку, ничего не загружается, а ниже появится список всех ошибок.
import-file = Файл реестра
import-skip-invalid = Загрузить правильные строки, а ошибочные пропустить
import-submit = Загрузить
import-no-file = Выберите файл для загрузки.
import-done = Загрузка выполнена
import-rejected = Файл не загружен: в нём есть ошибки
import-rows = Строк в файле
import-created = Добавлено
import-updated = Обновлено
import-unchanged = Без изменений
import-invalid = Строк с ошибками
import-errors = Ошибки по строкам
import-col-row = Строка
import-col-column = Столбец
import-col-value = Значение
import-col-reason = Причина

# Users and audit
users-created = Пользователь создан
users-new = Новый пользователь
users-login = Логин
users-name = Имя
users-role = Роль
users-scope = Область доступа
users-operator-id = Номер оператора (для роли «оператор»)
users-organization-id = Номер организации (для сотрудника)
users-create = Создать
audit-at = Время (МСК)
audit-actor = Кто
audit-action = Действие
audit-object = Объект
audit-organization-create = добавил(а) организацию
audit-organization-update = изменил(а) карточку
audit-organization-import = загрузил(а) реестр из файла
audit-organization-activate = вернул(а) в реестр
audit-organization-deactivate = вывел(а) из реестра
audit-authority-create = добавил(а) уполномоченный орган
audit-user-create = создал(а) пользователя
audit-user-login = вошёл(а) в систему
audit-user-password_change = сменил(а) пароль
