# Citizen feedback: reviews, appeals (обращения), agreement with the rating, the mail outbox.

## Organisation page sections
fb-agreement-title = Согласны ли вы с оценкой организации?
fb-agreement-empty = Пока никто не высказался. Ваш голос будет первым.
fb-agree = Согласны
fb-disagree = Не согласны
fb-vote-legend = Ваше мнение об оценке за год
fb-vote-comment = Комментарий (необязательно)
fb-vote-comment-hint = До 1000 знаков. Комментарий увидят организация, уполномоченный орган и общественный совет; он не публикуется.
fb-vote-agree = Согласен(на) с оценкой
fb-vote-disagree = Не согласен(на) с оценкой
fb-vote-title = Мнение об оценке
fb-vote-counted-agree = Спасибо! Ваш голос «согласен(на)» учтён.
fb-vote-counted-disagree = Спасибо! Ваш голос «не согласен(на)» учтён.
fb-vote-already = С этого устройства уже высказывались об оценке этой организации за { $period } год. Учитывается один голос с устройства.
fb-reviews-title = Отзывы
fb-reviews-total = Всего опубликовано
fb-reviews-empty = Отзывов пока нет. Расскажите о своём опыте первым.
fb-reviews-all = Все отзывы
fb-review-write = Оставить отзыв
fb-appeal-write = Написать обращение
fb-org-answer = Ответ организации
fb-report-link = Пожаловаться
fb-report-link-on = на отзыв
fb-back-to-org = Вернуться на страницу организации

## Review rules and form
fb-rules-title = Правила отзывов
fb-rules-intro = Отзыв публикуется после проверки модератором. Отзыв будет отклонён, если в нём есть:
fb-rules-moderation = Обычно проверка занимает не больше трёх рабочих дней. Модератор не исправляет текст: он публикует отзыв целиком или отклоняет его с указанием причины.
fb-reason-personal_data = персональные данные сотрудников (фамилии, имена и отчества, телефоны, адреса)
fb-reason-obscenity = нецензурная брань
fb-reason-links = ссылки на сайты, адреса электронной почты, реклама
fb-reason-insult = оскорбления и угрозы
fb-reason-offtopic = текст не об условиях оказания услуг в этой организации
fb-reason-other = другое нарушение правил
fb-review-form-title = Отзыв об организации
fb-review-legend = Ваш отзыв
fb-review-body = Текст отзыва
fb-review-body-hint = От 10 до 3000 знаков. Опишите, что понравилось и что стоит улучшить. Не называйте сотрудников по имени.
fb-review-name = Имя или псевдоним
fb-review-name-hint = Необязательно. Будет показано рядом с отзывом; без него отзыв подписывается «Аноним».
fb-review-accept = Я прочитал(а) правила отзывов и согласен(на) с ними
fb-review-submit = Отправить на проверку
fb-review-anonymous = Аноним
fb-review = Отзыв
fb-review-text = Текст отзыва

## Author's private pages
fb-link-title = Сохраните личную ссылку
fb-link-text = По этой ссылке можно узнать статус и прочитать ответ. Она известна только вам: сохраните её в закладках или скопируйте. Восстановить ссылку нельзя.
fb-link-label = Личная ссылка
fb-review-status-title = Ваш отзыв
fb-review-status-hint = Опубликованный отзыв виден всем на странице организации. Если на него пожалуются, он снова пройдёт проверку.
fb-organization = Организация
fb-sent-on = Отправлен
fb-status = Статус
fb-review-status-pending = на проверке у модератора
fb-review-status-published = опубликован
fb-review-status-rejected = отклонён
fb-review-status-complained = опубликован, есть жалобы
fb-reject-reason = Причина отклонения
fb-reject-note = Пояснение модератора

## Complaints
fb-report-title = Жалоба на отзыв
fb-report-intro = Если отзыв нарушает правила, выберите, какое именно. Жалобу рассмотрит модератор; до его решения отзыв остаётся на странице. Если жалоб от разных читателей наберётся { $n }, отзыв скроют до решения модератора.
fb-report-legend = Какое правило нарушено?
fb-report-submit = Отправить жалобу
fb-report-queued = Спасибо, жалоба принята и передана модератору. Пока он не решил, отзыв остаётся на странице организации. Если жалоб от разных читателей наберётся { $n }, отзыв скроют до решения модератора.
fb-report-already = Вы уже жаловались на этот отзыв: с одного устройства учитывается одна жалоба на отзыв. Повторная жалоба ничего не меняет.
fb-report-hidden = Спасибо, жалоба принята. На этот отзыв пожаловались несколько читателей, поэтому он скрыт, пока модератор его не проверит.

## Appeals: form and private page
fb-appeal-form-title = Обращение в организацию
fb-appeal-about-title = Как это работает
fb-appeal-about-private = Обращение не публикуется: его прочитают только сотрудники организации и уполномоченный орган.
fb-appeal-about-deadline = Организация должна ответить в течение 30 дней со дня поступления обращения.
fb-appeal-about-answer = Ответ придёт на вашу электронную почту и будет доступен по личной ссылке.
fb-appeal-legend = Ваше обращение
fb-appeal-body = Текст обращения
fb-appeal-body-hint = От 10 до 5000 знаков. Опишите ситуацию, когда и где она произошла, и чего вы ждёте от организации.
fb-appeal-email = Адрес электронной почты
fb-appeal-email-hint = Только для ответа. Адрес хранится в зашифрованном виде, сотрудники организации его не видят.
fb-consent-legend = Согласие на обработку персональных данных
fb-consent-read = Текст согласия
fb-consent-operator = Я даю согласие оператору платформы OpenNOK на обработку моих персональных данных в соответствии с Федеральным законом от 27.07.2006 № 152-ФЗ «О персональных данных».
fb-consent-purpose = Цель обработки: рассмотрение моего обращения и направление мне ответа.
fb-consent-data = Обрабатываемые данные: адрес электронной почты. Действия: сбор, запись, хранение, использование для отправки ответа, удаление.
fb-consent-protection = Адрес хранится в зашифрованном виде и не передаётся организации и третьим лицам.
fb-consent-term = Согласие действует до завершения рассмотрения обращения и может быть отозвано письменным заявлением оператору.
fb-consent-label = Я согласен(на) на обработку адреса электронной почты на условиях выше
fb-appeal-submit = Отправить обращение
fb-appeal-status-title = Обращение
fb-appeal-due = Срок ответа
fb-appeal-text = Текст обращения
fb-appeal-answer = Ответ организации
fb-appeal-wait = Когда организация ответит, ответ появится здесь и придёт на вашу почту.
fb-appeal-status-new = новое
fb-appeal-status-in_work = в работе
fb-appeal-status-answered = дан ответ
fb-appeal-status-closed = закрыто

## Form errors
fb-err-body = Напишите текст нужной длины (ограничение указано под полем).
fb-err-author_name = Имя или псевдоним — не больше 60 знаков.
fb-err-accepts_rules = Подтвердите, что согласны с правилами отзывов.
fb-err-email = Укажите адрес электронной почты в виде name@example.ru.
fb-err-consent = Без согласия на обработку адреса мы не сможем отправить ответ. Отметьте согласие.
fb-err-answer = Напишите ответ (не короче 2 знаков).
fb-err-note = Пояснение — не больше 500 знаков.
fb-err-reason = Выберите нарушенное правило.
fb-err-comment = Комментарий — не больше 1000 знаков.
fb-err-agree = Выберите «согласен» или «не согласен».
fb-err-rate = С этого устройства сегодня уже отправлено много сообщений. Попробуйте завтра.
fb-err-form = Проверьте введённые данные.

## Cabinet: reviews
fb-cabinet-reviews-title = Модерация отзывов
fb-cabinet-reviews-staff-title = Отзывы о вашей организации
fb-cabinet-reviews-staff-hint = Опубликованные отзывы о вашей организации. Ответ организации публикуется под отзывом.
fb-filter-status = Статус
fb-filter-flagged = Только с автоматическими отметками
fb-filter-apply = Показать
fb-review-filter-pending = Ждут проверки
fb-review-filter-published = Опубликованные
fb-review-filter-rejected = Отклонённые
fb-review-filter-all = Все
fb-review-filter-queue = Очередь: ждут проверки и с жалобами
fb-review-filter-complained = Опубликованные с жалобами
fb-found = Найдено
fb-queue-empty = Очередь пуста: все отзывы проверены.
fb-reviews-empty-staff = Опубликованных отзывов о вашей организации пока нет.
fb-col-date = Дата
fb-col-flags = Автоматические отметки
fb-col-reports = Жалобы
fb-answered = есть ответ
fb-flag-link = ссылка
fb-flag-link-hint = в тексте похоже на адрес сайта.
fb-flag-email = e-mail
fb-flag-email-hint = в тексте есть адрес электронной почты.
fb-flag-phone = телефон
fb-flag-phone-hint = в тексте есть номер, похожий на телефонный.
fb-flag-obscene = брань
fb-flag-obscene-hint = в тексте найдено слово из списка нецензурной лексики.
fb-flag-person_name = ФИО
fb-flag-person_name-hint = в тексте похоже на имя с отчеством или фамилию с инициалами.
fb-checks-title = Автоматическая проверка
fb-checks-none = Автоматическая проверка нарушений не нашла.
fb-checks-hint = Автоматическая проверка лишь подсказывает: она не замечает фамилии без имени и должности, по которым можно узнать человека. Решение принимает модератор.
fb-complaints = Жалобы читателей
fb-complaints-open = Нерассмотренных жалоб
fb-complaints-settled = Жалоб, рассмотренных раньше (хранятся в истории)
fb-dismiss = Оставить опубликованным
fb-dismiss-hint = Если отзыв не нарушает правил, оставьте его на сайте: счётчик жалоб обнулится, сами жалобы сохранятся в истории.
fb-done-dismiss = Жалобы рассмотрены, отзыв остаётся опубликованным.
fb-err-dismiss = Пока вы смотрели отзыв, на него поступили новые жалобы или его статус изменился. Проверьте ещё раз.
fb-approve = Опубликовать
fb-reject = Отклонить…
fb-reject-legend = Причина отклонения
fb-reject-note-hint = Необязательно. Пояснение увидит автор по своей личной ссылке.
fb-reject-confirm-title = Отклонить отзыв?
fb-reject-confirm-question = Отзыв не будет показан на странице организации. Автор увидит причину по личной ссылке.
fb-reject-confirm-yes = Да, отклонить
fb-answer-public = Ответ организации
fb-answer-public-hint = До 3000 знаков. Ответ публикуется под отзывом от имени организации. Повторная отправка заменит ответ.
fb-answer-publish = Опубликовать ответ
fb-done-approve = Отзыв опубликован.
fb-done-reject = Отзыв отклонён.
fb-done-answer = Ответ опубликован.

## Cabinet: appeals
fb-cabinet-appeals-title = Обращения граждан
fb-appeal = Обращение
fb-appeals-open = Ждут ответа
fb-appeals-overdue = Просрочено
fb-appeals-none-overdue = Просроченных нет.
fb-appeal-filter-all = Все
fb-appeal-filter-open = Ждут ответа
fb-appeal-filter-overdue = Просроченные
fb-appeal-filter-new = Новые
fb-appeal-filter-in_work = В работе
fb-appeal-filter-answered = С ответом
fb-appeal-filter-closed = Закрытые
fb-appeals-empty = Обращений с таким статусом нет.
fb-export = Выгрузить
fb-col-received = Поступило
fb-col-deadline = До срока
fb-deadline-left = { $n ->
    [one] остался { $n } день
    [few] осталось { $n } дня
   *[many] осталось { $n } дней
}
fb-deadline-overdue = { $n ->
    [one] просрочено на { $n } день
    [few] просрочено на { $n } дня
   *[many] просрочено на { $n } дней
}
fb-deadline-answered = ответ дан в срок
fb-deadline-answered-late = ответ дан с опозданием
fb-appeal-email-hidden = Адрес электронной почты автора скрыт: ответ отправляет система.
fb-appeal-take = Взять в работу
fb-appeal-answer-hint = До 10 000 знаков. Ответ будет отправлен автору по электронной почте и появится на его личной странице. Изменить отправленный ответ нельзя.
fb-appeal-answer-send = Отправить ответ…
fb-appeal-close = Закрыть обращение…
fb-answer-confirm-title = Отправить ответ?
fb-answer-confirm-question = Ответ уйдёт автору по электронной почте. Изменить его после отправки нельзя.
fb-answer-confirm-yes = Да, отправить
fb-close-confirm-title = Закрыть обращение?
fb-close-confirm-question = Закрытое обращение нельзя вернуть в работу.
fb-close-confirm-yes = Да, закрыть
fb-done-appeal-take = Обращение взято в работу.
fb-done-appeal-answer = Ответ отправлен автору.
fb-done-appeal-close = Обращение закрыто.
fb-csv-number = Номер
fb-csv-organization = Организация
fb-csv-created = Поступило
fb-csv-status = Статус
fb-csv-due = Срок ответа
fb-csv-answered = Ответ дан
fb-csv-overdue = Просрочено
fb-csv-answered-late = Ответ с опозданием
fb-yes = да
fb-no = нет

## E-mail and the outbox
fb-mail-answer-subject = Ответ на ваше обращение № { $id }
fb-mail-answer-body =
    Здравствуйте!

    { $org } ответила на ваше обращение № { $id } от { $date }.

    { $answer }

    Ответ также доступен по личной ссылке, которую вы получили при отправке обращения.
    Это письмо отправлено автоматически, отвечать на него не нужно.
fb-outbox-title = Исходящие письма
fb-outbox-smtp = Письма отправляются через SMTP-сервер (NOK_SMTP_URL).
fb-outbox-in-app = SMTP-сервер не настроен (NOK_SMTP_URL): письма не уходят наружу и хранятся здесь, во внутреннем ящике.
fb-outbox-empty = Писем пока нет.
fb-outbox-message = Письмо
fb-col-created = Создано
fb-mail-kind = Вид
fb-mail-to = Кому
fb-mail-subject = Тема
fb-mail-transport = Способ доставки
fb-mail-attempts = Попыток
fb-mail-error = Последняя ошибка
fb-mail-body = Текст письма
fb-mail-kind-appeal_answer = ответ на обращение
fb-mail-status-pending = ждёт отправки
fb-mail-status-sending = отправляется
fb-mail-status-sent = отправлено
fb-mail-status-failed = не доставлено
fb-mail-transport-smtp = SMTP
fb-mail-transport-in_app = внутренний ящик

## Navigation
fb-nav-reviews = Отзывы
fb-nav-appeals = Обращения
fb-nav-outbox = Исходящие письма
fb-nav-comments = Мнения об оценке

## Audit log actions
audit-review-create = отправлен отзыв
audit-review-approve = опубликовал(а) отзыв
audit-review-reject = отклонил(а) отзыв
audit-review-report = пожаловались на отзыв
audit-review-dismiss = оставил(а) отзыв опубликованным, рассмотрев жалобы
audit-review-answer = ответил(а) на отзыв
audit-appeal-create = поступило обращение
audit-appeal-take = взял(а) обращение в работу
audit-appeal-answer = ответил(а) на обращение
audit-appeal-close = закрыл(а) обращение

## Cabinet: comments left with agreement or disagreement with the rating
fb-comments-title = Мнения граждан об оценке
fb-comments-lead = Комментарии, которые граждане оставили, соглашаясь или не соглашаясь с оценкой организации. Комментарии не публикуются.
fb-comments-empty = Комментариев к мнениям об оценке пока нет.
fb-comments-all-orgs = все организации
fb-comments-all-periods = Все годы
fb-col-period = Год оценки
fb-col-opinion = Мнение
fb-col-comment = Комментарий
