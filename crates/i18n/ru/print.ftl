# QR materials: posters, paper labels, screen images, the website widget and the live badge (crates/print).

## Poster (A4, A3): the content the ministry recommends.
print-poster-heading = Оцените качество условий оказания услуг
print-poster-lead = Ваше мнение поможет сделать работу организации лучше. Опрос анонимный и займёт около минуты.
print-poster-can-rate = Вы можете оценить:
print-poster-item-comfort = комфортность и чистоту помещений
print-poster-item-staff = доброжелательность и вежливость работников
print-poster-item-info = доступность и полноту информации об организации
print-poster-item-booking = удобство записи и своевременность оказания услуг
print-poster-item-accessibility = доступность услуг для людей с инвалидностью
print-poster-appeal = Там же можно оставить отзыв или направить обращение — вы получите ответ.
print-poster-scan = Наведите камеру телефона на QR-код
print-poster-or-link = или откройте ссылку
print-poster-footer = Независимая оценка качества условий оказания услуг (НОК)
print-poster-title = Плакат с QR-кодом: { $name }

## Placeholder in an empty logo box when the name yields no initials.
print-logo-placeholder = Логотип

## Paper labels for tickets and booklets (one line under the code).
print-label-invite = Оцените качество услуг
print-label-sheet-title = Наклейки с QR-кодом: { $name }

## Screen images for terminals and TVs.
print-screen-heading = Оцените качество условий оказания услуг
print-screen-scan = Наведите камеру телефона на QR-код — опрос займёт около минуты

## Website widget.
print-widget-heading = Оцените качество условий оказания услуг
print-widget-qr-alt = QR-код анкеты независимой оценки: { $name }
print-widget-link = Пройти опрос

## Live badge: total score or «оценка проводится».
print-badge-label = Оценка
print-badge-score = { $score } из 100
print-badge-pending = оценка проводится
print-badge-title-score = Оценка: { $score } из 100
print-badge-title-pending = Независимая оценка: оценка проводится
print-badge-alt = Результат независимой оценки качества
