use proptest::prelude::*;

use super::*;

fn t(s: &str) -> Inline {
    Inline::Text(s.into())
}

#[test]
fn plain_text_is_paragraphs_as_before() {
    assert_eq!(
        blocks("Läs detta.\nRad två.\n\nOch detta."),
        vec![Block::Paragraph(vec![t("Läs detta.\nRad två.")]), Block::Paragraph(vec![t("Och detta.")])]
    );
    assert_eq!(blocks("  \n\n"), vec![]);
}

#[test]
fn headings_lists_and_links_are_read_from_their_marks() {
    let text = "## Vem kan söka?\nFöreningar i Helsingborg.\n- minst tio medlemmar\n- en styrelse\n  som väljs varje år\n\n1. Fyll i\n2. Skicka\n\nLäs [reglerna](https://helsingborg.se/bidrag) först.";
    assert_eq!(
        blocks(text),
        vec![
            Block::Heading(vec![t("Vem kan söka?")]),
            Block::Paragraph(vec![t("Föreningar i Helsingborg.")]),
            Block::List {
                numbered: false,
                items: vec![vec![t("minst tio medlemmar")], vec![t("en styrelse\nsom väljs varje år")]]
            },
            Block::List { numbered: true, items: vec![vec![t("Fyll i")], vec![t("Skicka")]] },
            Block::Paragraph(vec![
                t("Läs "),
                Inline::Link { text: "reglerna".into(), href: "https://helsingborg.se/bidrag".into() },
                t(" först.")
            ]),
        ]
    );
}

#[test]
fn a_link_to_another_kind_of_address_stays_text() {
    for s in ["[klicka](javascript:alert(1))", "[x](data:text/html,hi)", "[](https://a.se)", "[a b](https://a.se/x y)"]
    {
        assert_eq!(blocks(s), vec![Block::Paragraph(vec![t(s)])], "{s}");
    }
    assert_eq!(
        blocks("Ring [042-10 50 00](tel:+4642105000) eller [mejla](mailto:kc@helsingborg.se)."),
        vec![Block::Paragraph(vec![
            t("Ring "),
            Inline::Link { text: "042-10 50 00".into(), href: "tel:+4642105000".into() },
            t(" eller "),
            Inline::Link { text: "mejla".into(), href: "mailto:kc@helsingborg.se".into() },
            t("."),
        ])]
    );
}

#[test]
fn the_html_escapes_every_text_and_address_so_nothing_written_becomes_markup() {
    let html = to_html(&blocks(
        "## <b>Rubrik</b>\n\n<script>alert('x')</script> & [länk \"x\"](https://a.se/?q=\"><script>)\n\n- <i>punkt</i>",
    ));
    assert_eq!(
        html,
        "<h3>&lt;b&gt;Rubrik&lt;/b&gt;</h3><p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; <a href=\"https://a.se/?q=&quot;&gt;&lt;script&gt;\">länk &quot;x&quot;</a></p><ul><li>&lt;i&gt;punkt&lt;/i&gt;</li></ul>"
    );
    assert_eq!(to_html(&blocks("[x](javascript:alert(1))")), "<p>[x](javascript:alert(1))</p>");
    assert_eq!(
        to_html(&paragraphs("Ett\r\n\r\n## inte en rubrik <b>")),
        "<p>Ett</p><p>## inte en rubrik &lt;b&gt;</p>"
    );
}

proptest! {
    #[test]
    fn no_text_can_open_a_tag_or_an_attribute(s in "[a-z<>\"'&=\\[\\]() :/#\n-]{0,80}") {
        let html = to_html(&blocks(&s));
        // Every `<` is one the HTML writer put there: one of its own tags.
        for (i, _) in html.match_indices('<') {
            let rest = &html[i..];
            let ours = ["<h3>", "</h3>", "<p>", "</p>", "<ul>", "</ul>", "<ol>", "</ol>", "<li>", "</li>", "<a href=\"", "</a>"];
            prop_assert!(ours.iter().any(|t| rest.starts_with(t)), "{}", html);
        }
        // Quotes appear only around an address.
        prop_assert_eq!(html.matches('"').count(), 2 * html.matches("<a href=").count());
    }
}

fn letters(x: &str) -> usize {
    x.chars().filter(|c| c.is_alphabetic()).count()
}

fn letters_in(inlines: &[Inline]) -> usize {
    inlines
        .iter()
        .map(|x| match x {
            Inline::Text(t) => letters(t),
            Inline::Link { text, href } => letters(text) + letters(href),
        })
        .sum()
}

proptest! {
    #[test]
    fn no_letter_is_lost(s in "[a-zåäö \\[\\]()#*.:/\n-]{0,60}") {
        let shown: usize = blocks(&s)
            .iter()
            .map(|b| match b {
                Block::Heading(i) | Block::Paragraph(i) => letters_in(i),
                Block::List { items, .. } => items.iter().map(|i| letters_in(i)).sum(),
            })
            .sum();
        prop_assert_eq!(shown, letters(&s));
    }
}

#[test]
fn a_text_is_read_from_a_string_or_from_swedish_and_english_and_written_back_the_same_way() {
    let sv: Text = serde_json::from_str(r#""Namn""#).unwrap();
    assert_eq!(sv, Text { sv: "Namn".into(), en: None });
    assert_eq!(serde_json::to_string(&sv).unwrap(), r#""Namn""#, "a Swedish-only text stays a string");
    let both: Text = serde_json::from_str(r#"{"sv": "Namn", "en": "Name"}"#).unwrap();
    assert_eq!(both.in_english(), "Name");
    assert_eq!(serde_json::to_value(&both).unwrap(), serde_json::json!({"sv": "Namn", "en": "Name"}));
    let only_sv: Text = serde_json::from_str(r#"{"sv": "Namn"}"#).unwrap();
    assert_eq!((only_sv.in_english(), only_sv.is_translated()), ("Namn", false));
    let blank_en: Text = serde_json::from_str(r#"{"sv": "Namn", "en": " "}"#).unwrap();
    assert_eq!(
        (blank_en.in_english(), blank_en.localized().en.as_str()),
        ("Namn", "Namn"),
        "a blank English falls back"
    );
}

#[test]
fn a_text_without_swedish_or_with_a_language_twice_or_of_another_type_is_refused_saying_so() {
    for (bad, says) in [
        (r#"{"en": "Name"}"#, "missing field `sv`"),
        (r#"{"sv": "a", "sv": "b"}"#, "duplicate field `sv`"),
        ("5", "expected a text, or an object with the Swedish text `sv`"),
        (r#"["Namn"]"#, "expected a text"),
    ] {
        let e = serde_json::from_str::<Text>(bad).unwrap_err().to_string();
        assert!(e.contains(says), "{bad}: {e}");
    }
}

#[test]
fn a_label_that_asks_or_ends_in_a_colon_is_not_followed_by_another_colon() {
    assert_eq!(after_label("Föreningens namn"), ": ");
    assert_eq!(after_label("Vad gäller det?"), " ");
    assert_eq!(after_label("Telefon:"), " ");
}
