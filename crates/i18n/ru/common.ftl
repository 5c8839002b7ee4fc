# Common words used across the product.
app-name = OpenNOK
test-responses = { $n } { $n ->
    [one] ответ
    [few] ответа
   *[many] ответов
}
