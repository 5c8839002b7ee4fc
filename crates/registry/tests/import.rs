//! Importing registry files as users upload them: encodings, delimiters, XLSX, per-row errors, file errors.

use nok_registry::ids::{inn_with_check_digit, make_inn, make_ogrn};
use nok_registry::{Column, FileKind, ImportError, OrganizationRecord, RowError, Sphere, read_organizations};
use rust_xlsxwriter::Workbook;
use std::io::Cursor;

const HEADER: &str = "ИНН;Полное наименование;Краткое наименование;ОГРН;КПП;Адрес;Широта;Долгота;Сфера;Код региона;Число получателей услуг;Активна";

fn data_row(i: u64) -> String {
    format!(
        "{};\"МОУ \"\"Средняя школа № {i}\"\"\";Школа № {i};{};760401001;г. Ярославль, ул. Свободы, д. {i};57,62;39,88;Образование;76;850;Да",
        make_inn(i),
        make_ogrn(i)
    )
}

fn csv_file(rows: impl IntoIterator<Item = String>) -> String {
    let mut text = String::from(HEADER);
    for row in rows {
        text.push('\n');
        text.push_str(&row);
    }
    text.push('\n');
    text
}

type Outcome = Vec<Result<OrganizationRecord, Vec<RowError>>>;

fn import(bytes: impl Into<Vec<u8>>, hint: Option<FileKind>) -> Result<Outcome, ImportError> {
    read_organizations(Cursor::new(bytes.into()), hint).map(Iterator::collect)
}

fn errors(outcome: &Outcome) -> Vec<&RowError> {
    outcome.iter().filter_map(|r| r.as_ref().err()).flatten().collect()
}

#[test]
fn windows_1251_with_semicolons_imports() {
    let text = csv_file((1..=3).map(data_row));
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(&text);
    assert!(!unmappable);
    let outcome = import(bytes.into_owned(), Some(FileKind::Csv)).unwrap();
    assert_eq!(outcome.len(), 3);
    let first = outcome[0].as_ref().unwrap();
    assert_eq!(first.full_name, "МОУ \"Средняя школа № 1\"");
    assert_eq!(first.address, "г. Ярославль, ул. Свободы, д. 1");
    assert_eq!(first.latitude, Some(57.62));
    assert_eq!(first.sphere, Sphere::Education);
    assert_eq!(first.population, 850);
}

#[test]
fn utf8_with_bom_and_commas_imports() {
    let text = format!(
        "\u{feff}inn,full_name,sphere,region_code,latitude,longitude\r\n{},\"Библиотека, филиал № 2\",culture,76,\"57,5\",39.1\r\n",
        make_inn(5)
    );
    let outcome = import(text, None).unwrap();
    let rec = outcome[0].as_ref().unwrap();
    assert_eq!(rec.inn, make_inn(5), "BOM is not part of the first header");
    assert_eq!(rec.full_name, "Библиотека, филиал № 2");
    assert_eq!(rec.latitude, Some(57.5));
}

#[test]
fn utf16_tab_separated_from_excel_imports() {
    let text = format!("ИНН\tПолное наименование\tСфера\tКод региона\r\n{}\tМузей\tкультура\t76\r\n", make_inn(9));
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let outcome = import(bytes, Some(FileKind::Csv)).unwrap();
    assert_eq!(outcome[0].as_ref().unwrap().full_name, "Музей");
}

#[test]
fn one_bad_checksum_among_thousands_is_reported_with_row_and_column() {
    let mut rows: Vec<String> = (1..=5000).map(data_row).collect();
    let good = make_inn(3000);
    let last = good.chars().last().unwrap().to_digit(10).unwrap();
    let bad = format!("{}{}", &good[..9], (last + 1) % 10);
    rows[2999] = rows[2999].replacen(&good, &bad, 1);
    let outcome = import(csv_file(rows), None).unwrap();
    assert_eq!(outcome.len(), 5000);
    let errors = errors(&outcome);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].row, 3001, "header is row 1, the 3000th data row is row 3001");
    assert_eq!(errors[0].column, "ИНН");
    assert_eq!(errors[0].value, bad);
    assert!(errors[0].reason.contains("контрольная цифра"), "{}", errors[0].reason);
}

#[test]
fn row_numbers_follow_the_spreadsheet_with_multiline_cells_and_blank_lines() {
    let text = format!(
        "{HEADER}\n{}\n\n{}\n{}\n",
        data_row(1).replacen(";Школа № 1;", ";\"Школа\nв две строки\";", 1),
        data_row(2),
        data_row(3).replacen(";76;", ";100;", 1)
    );
    let outcome = import(text, None).unwrap();
    assert_eq!(outcome.len(), 3, "blank line skipped");
    assert_eq!(outcome[0].as_ref().unwrap().short_name, "Школа\nв две строки");
    let errors = errors(&outcome);
    assert_eq!((errors[0].row, errors[0].column.as_str()), (5, "Код региона"));
}

#[test]
fn missing_required_columns_are_named() {
    let text = format!("ИНН;Краткое наименование;Код региона\n{};Школа;76\n", make_inn(1));
    let err = import(text, None).unwrap_err();
    assert!(matches!(&err, ImportError::MissingColumns(c) if *c == vec![Column::FullName, Column::Sphere]));
    let message = err.user_message();
    assert!(message.contains("«Полное наименование»") && message.contains("«Сфера»"), "{message}");
    assert!(message.starts_with("Нет обязательных столбцов"), "{message}");
}

#[test]
fn not_a_table_and_duplicate_columns() {
    let prose = "Уважаемые коллеги!\nНаправляем реестр.\nС уважением\n";
    assert!(matches!(import(prose, None), Err(ImportError::NotATable)));
    let twice = "ИНН;inn;Полное наименование;Сфера;Код региона\n";
    let err = import(twice, None).unwrap_err();
    assert!(matches!(err, ImportError::DuplicateColumn(Column::Inn)));
    assert!(err.user_message().contains("«ИНН»"));
}

#[test]
fn title_rows_above_the_header_are_skipped() {
    let text = format!("Реестр организаций Ярославской области на 2026 год;;;\n;;;\n{}", csv_file([data_row(1)]));
    let mut rows = read_organizations(Cursor::new(text.into_bytes()), None).unwrap();
    assert_eq!(rows.header_row(), 3);
    assert!(rows.has_column(Column::Kpp) && !rows.has_column(Column::Website));
    assert!(rows.next().unwrap().is_ok());
    assert!(rows.next().is_none());
}

#[test]
fn unknown_region_code_is_a_row_error() {
    let outcome = import(csv_file([data_row(1).replacen(";76;", ";88;", 1), data_row(2)]), None).unwrap();
    let errors = errors(&outcome);
    assert_eq!(errors.len(), 1);
    assert_eq!((errors[0].row, errors[0].column.as_str(), errors[0].value.as_str()), (2, "Код региона", "88"));
    assert!(errors[0].reason.contains("код"), "{}", errors[0].reason);
    assert!(outcome[1].is_ok());
}

#[test]
fn duplicate_inn_names_the_first_row() {
    let repeated = data_row(1).replacen("Школа № 1", "Другая школа", 1);
    let outcome = import(csv_file([data_row(1), data_row(2), repeated]), None).unwrap();
    assert!(outcome[0].is_ok() && outcome[1].is_ok());
    let errors = outcome[2].as_ref().unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!((errors[0].row, errors[0].column.as_str()), (4, "ИНН"));
    assert_eq!(errors[0].value, make_inn(1));
    assert!(errors[0].reason.contains("строке 2"), "{}", errors[0].reason);
    assert_eq!(
        errors[0].to_string(),
        format!("Строка 4, столбец «ИНН», значение «{}»: этот ИНН уже указан в строке 2", make_inn(1))
    );
}

#[test]
fn empty_files_are_refused() {
    for empty in ["", "\u{feff}", "\n\n  \n", ";;;\n"] {
        let err = import(empty, Some(FileKind::Csv)).unwrap_err();
        assert!(matches!(err, ImportError::Empty), "{empty:?}: {err:?}");
        assert!(err.user_message().contains("пуст"));
    }
}

#[test]
fn a_binary_file_named_csv_is_refused_clearly() {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0u32..5000).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    let err = import(png, FileKind::from_file_name("реестр.csv")).unwrap_err();
    assert!(matches!(err, ImportError::NotText));
    assert!(err.user_message().starts_with("Файл не является текстовым CSV"), "{}", err.user_message());
}

#[test]
fn html_in_names_is_kept_as_text() {
    let name = "<script>alert(\"x\")</script> & <b>Школа</b>";
    let row = data_row(1).replacen("Школа № 1", name, 1);
    let outcome = import(csv_file([row]), None).unwrap();
    assert_eq!(outcome[0].as_ref().unwrap().short_name, name);
}

#[test]
fn undecodable_bytes_in_a_utf8_file_are_reported_on_their_row() {
    // One stray Windows-1251 byte in an otherwise UTF-8 file: near the start, and past the detection sample.
    for rows in [3, 1000] {
        let mut text = csv_file((1..=rows).map(data_row)).into_bytes();
        let row = data_row(rows + 1).replacen("Школа № ", "Школа \u{1}", 1).into_bytes();
        text.extend(row.into_iter().map(|b| if b == 1 { 0xB9 } else { b })); // № in Windows-1251
        text.push(b'\n');
        let outcome = import(text, None).unwrap();
        assert_eq!(outcome.len() as u64, rows + 1);
        let errors = errors(&outcome);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].row as u64, rows + 2);
        assert_eq!(errors[0].column, "Краткое наименование");
        assert!(errors[0].reason.contains("кодировк"), "{}", errors[0].reason);
    }
}

#[test]
fn xlsx_is_read_with_numbers_and_leading_zeros() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let headers = [
        "ИНН",
        "Полное наименование",
        "Сфера",
        "Код региона",
        "Широта",
        "Число получателей услуг",
        "Активна",
        "Долгота",
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let inn = inn_with_check_digit("027400001"); // Башкортостан: starts with 0
    sheet.write_number(1, 0, inn.parse::<f64>().unwrap()).unwrap();
    sheet.write_string(1, 1, "ГБУЗ РБ \"Больница № 1\" <script>").unwrap();
    sheet.write_string(1, 2, "Охрана здоровья").unwrap();
    sheet.write_number(1, 3, 2.0).unwrap();
    sheet.write_number(1, 4, 54.7351).unwrap();
    sheet.write_number(1, 5, 12500.0).unwrap();
    sheet.write_boolean(1, 6, false).unwrap();
    sheet.write_number(1, 7, 55.9721).unwrap();
    sheet.write_string(3, 0, "7707083894").unwrap();
    sheet.write_string(3, 1, "Вторая").unwrap();
    sheet.write_string(3, 2, "культура").unwrap();
    sheet.write_string(3, 3, "77").unwrap();
    let bytes = book.save_to_buffer().unwrap();

    // A workbook uploaded under a .csv name is still read as a workbook.
    let outcome = import(bytes, Some(FileKind::Csv)).unwrap();
    assert_eq!(outcome.len(), 2, "blank row 3 skipped");
    let rec = outcome[0].as_ref().unwrap();
    assert_eq!(rec.inn, inn);
    assert_eq!(rec.full_name, "ГБУЗ РБ \"Больница № 1\" <script>");
    assert_eq!(
        (rec.sphere, rec.region_code.as_str(), rec.population, rec.active),
        (Sphere::Health, "02", 12500, false)
    );
    assert_eq!(rec.latitude, Some(54.7351));
    let errors = errors(&outcome);
    assert_eq!((errors[0].row, errors[0].column.as_str()), (4, "ИНН"));
}

#[test]
fn broken_workbooks_and_legacy_xls_are_refused() {
    let err = import(b"PK\x03\x04 not really a zip".to_vec(), None).unwrap_err();
    assert!(matches!(err, ImportError::Xlsx(_)));
    assert!(err.user_message().contains("XLSX"));
    let ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest".to_vec();
    assert!(matches!(import(ole, FileKind::from_file_name("old.xls")), Err(ImportError::LegacyXls)));
}

#[test]
fn the_row_iterator_can_move_to_a_blocking_thread() {
    fn assert_send<T: Send>(_: &T) {}
    let rows = read_organizations(Cursor::new(csv_file([data_row(1)]).into_bytes()), None).unwrap();
    assert_send(&rows);
    let handle = std::thread::spawn(move || rows.count());
    assert_eq!(handle.join().unwrap(), 1);
}
