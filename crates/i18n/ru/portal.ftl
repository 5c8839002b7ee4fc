# The public portal: home page top lists, organisation page, region page, API documentation.

portal-total = Итоговый балл
portal-of-100 = из 100
portal-compare-same = на уровне среднего
portal-compare-above = на { $diff } выше среднего
portal-compare-below = на { $diff } ниже среднего
portal-responses = { $n } { $n ->
    [one] ответ
    [few] ответа
   *[many] ответов
}
portal-rank = { $rank }-е место из { $of } в своей сфере в регионе
portal-sample = Рекомендуемая выборка на год: { $collected } из { $target }; через онлайн-анкету: { $online } из { $online_target } рекомендуемых.
portal-rate = Оценить организацию
portal-leave-review = Оставить отзыв
portal-score-title = Оценка за
portal-peer-mean = Среднее по сфере в регионе
portal-peer-explain = Среднее считается по организациям той же сферы в регионе, у которых достаточно ответов; таких организаций:
portal-not-enough = Недостаточно ответов
portal-published = опубликовано
portal-published-on = опубликовано { $date }
portal-not-enough-explain = Оценка появится, когда наберётся достаточно ответов. Получено ответов / нужно:
portal-sample-title = Сбор ответов
portal-channels-caption = Ответы по каналам
portal-col-channel = Канал
portal-col-responses = Ответов
portal-history-title = История по годам
portal-history-empty = Ответов пока не было.
portal-col-year = Год
portal-col-total = Итоговый балл
portal-col-rank = Место
portal-col-name = Организация
portal-col-public-id = Идентификатор
portal-col-sphere = Сфера
portal-about-title = Об организации
portal-assessed = Организаций с оценкой

home-best-title = Лучшие организации
home-best-empty = Пока ни у одной организации нет достаточного числа ответов для оценки.
home-most-rated-title = Больше всего ответов
home-most-rated-empty = Ответов пока нет. Отсканируйте QR-код в организации или найдите её через поиск, чтобы оценить.
home-regions-title = Средний балл по регионам

region-title = оценка организаций
region-show = Показать
region-chart-title = Средний балл по сферам
region-ranking-title = Рейтинг организаций
region-ranking-empty = Пока ни у одной организации региона нет достаточного числа ответов для оценки.
region-export-csv = Скачать CSV
region-export-xlsx = Скачать XLSX
region-municipalities-title = Средний балл по муниципальным образованиям
region-municipalities-hint = Средний итоговый балл — по организациям муниципального образования, у которых достаточно ответов для оценки. Организации, для которых в реестре не указано муниципальное образование, здесь не учитываются.
portal-col-municipality = Муниципальное образование
portal-col-organizations = Организаций
portal-col-mean-total = Средний итоговый балл
region-unpublished-explain = Оценка публикуется, когда у организации наберётся ответов не меньше, чем

apidocs-download = Документ OpenAPI (JSON)
apidocs-contents = Содержание
apidocs-parameters = Параметры
apidocs-name = Имя
apidocs-in = Где
apidocs-type = Тип
apidocs-description = Описание
apidocs-required = обязательный
apidocs-request = Тело запроса
apidocs-responses = Ответы
apidocs-schemas = Схемы данных
