use super::*;

const SPECS: &[FieldSpec] = &[
    FieldSpec { name: "number", aliases: &["number", "numero"], required: true, many: false },
    FieldSpec { name: "amount", aliases: &["amount", "montant"], required: true, many: false },
    FieldSpec { name: "note", aliases: &["note", "memo"], required: false, many: true },
];

fn file() -> Arc<str> {
    Arc::from("t.csv")
}

#[test]
fn detects_the_delimiter_from_the_header() {
    assert_eq!(detect_delimiter("Numéro;Montant\n1;1,5\n", SPECS), b';');
    assert_eq!(detect_delimiter("number,amount\n1,\"1,5\"\n", SPECS), b',');
    assert_eq!(detect_delimiter("number\tamount\n", SPECS), b'\t');
    assert_eq!(detect_delimiter("a|b\n", SPECS), b',');
}

#[test]
fn reads_rows_with_their_lines_and_flags_ragged_ones() {
    let t = read(&file(), "\u{feff}number;amount\n\n1;2,50\n;\n2;3;4\n".as_bytes(), SPECS).unwrap_err();
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].at, At::Line(5));
    let t = read(&file(), b"number;amount\n\n1;2,50\n", SPECS).unwrap();
    assert_eq!(t.rows, vec![TableRow { at: At::Line(3), cells: vec!["1".into(), "2,50".into()] }]);
    let t = read(&file(), b"number;amount\r\n\r\n1;2,50\r\n\"a\nb\";1\r\n3;4", SPECS).unwrap();
    let lines: Vec<At> = t.rows.iter().map(|r| r.at).collect();
    assert_eq!(lines, [At::Line(3), At::Line(4), At::Line(6)]);
}

#[test]
fn reads_json_arrays_of_objects() {
    let t = read(&file(), br#"[{"number":"A","amount":"1.00"},{"number":"B","amount":2}]"#, SPECS).unwrap();
    assert_eq!(t.headers, ["amount", "number"]);
    assert_eq!(t.rows[1].cells, ["2", "B"]);
    assert_eq!(t.rows[1].at, At::Record(2));
    assert!(read(&file(), br#"[{"number":{"x":1}}]"#, SPECS).is_err());
}

#[test]
fn resolves_columns_by_name_and_map() {
    let t = read(&file(), "Numéro,Totaal,memo,Note,extra\n1,2,a,b,c\n".as_bytes(), SPECS).unwrap();
    let err = resolve(&t, SPECS, &[]).unwrap_err();
    assert!(err[0].message.contains("no amount column"), "{err:?}");
    let cols = resolve(&t, SPECS, &["amount=totaal".into()]).unwrap();
    assert_eq!(cols.get(1, &t.rows[0]), "2");
    assert_eq!(cols.get(2, &t.rows[0]), "a b");
    assert_eq!(cols.ignored, ["extra"]);
    let cols = resolve(&t, SPECS, &["montant=2".into()]).unwrap();
    assert_eq!(cols.get(1, &t.rows[0]), "2");
    let err = resolve(&t, SPECS, &["amount=nope".into(), "colour=1".into(), "bad".into()]).unwrap_err();
    // The three bad maps, and the amount column still missing.
    assert_eq!(err.len(), 4, "{err:?}");
}

#[test]
fn a_header_in_one_piece_hints_at_the_delimiter() {
    let t = read(&file(), b"number|amount\n1|2\n", SPECS).unwrap();
    let err = resolve(&t, SPECS, &[]).unwrap_err();
    assert!(err.iter().any(|p| p.message.contains("a semicolon or a tab")), "{err:?}");
    assert!(err.iter().all(|p| p.at == At::Line(1)));
}

#[test]
fn an_overlong_field_is_refused_with_its_line_and_column() {
    let long = "x".repeat(MAX_FIELD_CHARS + 1);
    let ok = "é".repeat(MAX_FIELD_CHARS);
    let csv = format!("number;amount;note\n1;2;{ok}\n2;3;{long}\n");
    let p = read(&file(), csv.as_bytes(), SPECS).unwrap_err();
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(
        p[0].to_string(),
        "t.csv:3: note: a field of 10001 characters, more than the 10000 settle reads (a missing closing quote?)"
    );
    // An unclosed quote swallows the rest of the file into one field.
    let csv = format!("number;amount\n1;\"2\n{}\n", "3;4\n".repeat(3000));
    let p = read(&file(), csv.as_bytes(), SPECS).unwrap_err();
    assert_eq!((p[0].at, p[0].field.as_deref()), (At::Line(2), Some("amount")));
    let json = format!(r#"[{{"number":"1","amount":"{long}"}}]"#);
    let p = read(&file(), json.as_bytes(), SPECS).unwrap_err();
    assert_eq!((p[0].at, p[0].field.as_deref()), (At::Record(1), Some("amount")));
    let p = read(&file(), format!("{long};amount\n").as_bytes(), SPECS).unwrap_err();
    assert_eq!((p[0].at, p[0].field.as_deref()), (At::Line(1), Some("column 1")));
}
