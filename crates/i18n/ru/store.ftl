# Messages produced by the store (import checks that need the database).
store-import-out-of-scope = организация вне вашей области ответственности (регион или сфера)
store-import-unknown-authority = уполномоченный орган с таким кодом не найден
