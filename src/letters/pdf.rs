//! A letter as an A4 PDF, to print and post: the freelancer's block, the customer's postal
//! address where a left window envelope shows it (DL or C5, window 20 mm from the left and
//! 45 mm from the top, 90 × 45 mm, as used in Belgium and the Netherlands), the date, the
//! subject, the body, and, when the letter asks for money and `[me] iban` is set, the EPC QR
//! code banking apps scan to pay (see [`super::epc`]).
//!
//! The font ships in the repository (`assets/fonts/DejaVuSansMono.ttf`, free licence beside
//! it) and is embedded, so the PDF looks the same on every machine. It is monospaced: the
//! letters' tables (the interest computation) stay aligned as in the `.txt`.

use std::io::Write;
use std::path::Path;

use anyhow::{Result, anyhow};
use printpdf::{Color, IndirectFontRef, Mm, PdfDocument, PdfLayerReference, Rect, Rgb};

use super::Letter;
use super::context::{self, LetterContext};
use super::epc;
use super::format::Fmt;
use crate::config::Config;
use crate::domain::customer::Language;
use crate::domain::event::Channel;
use crate::domain::format::{self, Flow};
use crate::service::CaseFile;

const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSansMono.ttf");

const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const LEFT: f32 = 20.0;
/// The body's size (pt), line height (mm) and characters per line: DejaVu Sans Mono is
/// 0.602 em wide, 2.12 mm at 10 pt, so 78 characters fill 166 mm of the 170 between margins.
const BODY_PT: f32 = 10.0;
const BODY_LINE: f32 = 4.6;
const BODY_CHARS: usize = 78;
const BOTTOM: f32 = 20.0;

/// Text safe to draw: control characters and bidirectional overrides dropped (a hostile
/// name cannot reorder what the letter shows), tabs as spaces.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .filter(|c| {
            !c.is_control()
                && !matches!(c, '\u{200E}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

fn at_most(s: &str, chars: usize) -> String {
    s.chars().take(chars).collect()
}

/// `text` cleaned line by line ([`clean`]) and wrapped at `width` characters as the
/// letter's own lines ([`Flow::Lines`]).
fn body_rows(text: &str, width: usize) -> Vec<String> {
    let cleaned: Vec<String> = text.lines().map(clean).collect();
    format::wrap(&cleaned.join("\n"), width, Flow::Lines)
}

struct Labels {
    enterprise: &'static str,
    scan: &'static str,
}

fn labels(lang: Language) -> Labels {
    match lang {
        Language::En => Labels { enterprise: "Enterprise no.", scan: "Scan to pay" },
        Language::Nl => Labels { enterprise: "Ondernemingsnr.", scan: "Scan om te betalen" },
        Language::Fr => Labels { enterprise: "N° d'entreprise", scan: "Scannez pour payer" },
        Language::De => Labels { enterprise: "Unternehmensnr.", scan: "Zum Bezahlen scannen" },
    }
}

/// The EPC payload for the letter's request, if it asks for money, `[me] iban` is set and
/// the invoice is in euro (the EPC code carries euro only).
pub fn qr_payload(ctx: &LetterContext) -> Option<String> {
    let ask = ctx.asks.as_ref()?;
    if ctx.me.iban.trim().is_empty() {
        return None;
    }
    epc::payload(&epc::Transfer {
        bic: &ctx.me.bic,
        name: &ctx.me.sender,
        iban: &ctx.me.iban,
        amount: ask.amount,
        currency: ask.currency,
        reference: ask.reference,
        fallback: &ask.number,
    })
    .ok()
}

struct Pen<'a> {
    layer: PdfLayerReference,
    font: &'a IndirectFontRef,
}

impl Pen<'_> {
    /// Writes `text` at `x` mm from the left, its baseline `top` mm from the page's top.
    fn text(&self, text: &str, pt: f32, x: f32, top: f32) {
        self.layer.use_text(clean(text), pt, Mm(x), Mm(PAGE_H - top), self.font);
    }
}

/// The PDF of `letter`, laid out from its context `ctx`.
pub fn render(ctx: &LetterContext, letter: &Letter) -> Result<Vec<u8>> {
    let pdf_err = |e: printpdf::Error| anyhow!("the PDF: {e}");
    let title = at_most(&clean(&letter.subject), 200);
    let (doc, page, layer) = PdfDocument::new(title, Mm(PAGE_W), Mm(PAGE_H), "letter");
    // The same letter gives the same document identifier.
    let doc =
        doc.with_document_id(format!("settle-{}-{}", letter.kind, at_most(&clean(&ctx.invoice.number), 64)));
    let font = doc.add_external_font(FONT).map_err(pdf_err)?;
    let mut pen = Pen { layer: doc.get_page(page).get_layer(layer), font: &font };
    let l = labels(letter.lang);

    // The freelancer's block, top right, above the code.
    let me = &ctx.me;
    let mut block: Vec<String> = Vec::new();
    block.push(me.name.clone());
    if !me.company.trim().is_empty() && me.company != me.name {
        block.push(me.company.clone());
    }
    block.extend(me.address.lines().map(str::to_string));
    if !me.enterprise.trim().is_empty() {
        block.push(format!("{} {}", l.enterprise, me.enterprise));
    }
    if !me.iban.trim().is_empty() {
        block.push(format!("IBAN {}", me.iban));
    }
    if !me.bic.trim().is_empty() {
        block.push(format!("BIC {}", me.bic));
    }
    for extra in [&me.email, &me.phone] {
        if !extra.trim().is_empty() {
            block.push(extra.clone());
        }
    }
    for (i, line) in block.iter().filter(|l| !l.trim().is_empty()).take(9).enumerate() {
        pen.text(&at_most(line.trim(), 38), 8.5, 118.0, 15.0 + 3.7 * i as f32);
    }

    // The customer's address, inside the envelope's window.
    let c = &ctx.customer;
    let mut to = vec![c.name.clone()];
    if !c.contact.trim().is_empty() && c.contact != c.name {
        to.push(c.contact.clone());
    }
    to.extend(c.address.lines().map(str::to_string));
    for (i, line) in to.iter().filter(|l| !l.trim().is_empty()).take(8).enumerate() {
        pen.text(&at_most(line.trim(), 40), BODY_PT, 25.0, 55.0 + 4.5 * i as f32);
    }

    // The payment code, right of the window.
    if let (Some(payload), Some(ask)) = (qr_payload(ctx), ctx.asks.as_ref()) {
        let code = qrcode::QrCode::with_error_correction_level(payload.as_bytes(), qrcode::EcLevel::M)
            .map_err(|e| anyhow!("the payment QR code: {e}"))?;
        let width = code.width();
        let size = 34.0_f32;
        let module = size / width as f32;
        let (x0, top0) = (152.0_f32, 52.0_f32);
        pen.layer.set_fill_color(Color::Rgb(Rgb::new(0.0, 0.0, 0.0, None)));
        for (i, color) in code.to_colors().iter().enumerate() {
            if *color == qrcode::Color::Dark {
                let (col, row) = ((i % width) as f32, (i / width) as f32);
                let x = x0 + col * module;
                let y = PAGE_H - top0 - (row + 1.0) * module;
                pen.layer.add_rect(Rect::new(Mm(x), Mm(y), Mm(x + module), Mm(y + module)));
            }
        }
        let f = Fmt { lang: letter.lang, currency: ask.currency };
        pen.text(l.scan, 8.0, x0, top0 + size + 4.0);
        pen.text(&f.money(ask.amount), 8.0, x0, top0 + size + 7.5);
    }

    // Date, subject, body.
    pen.text(&ctx.today, BODY_PT, LEFT, 100.0);
    pen.text(&at_most(&clean(&letter.subject), BODY_CHARS), BODY_PT, LEFT, 110.0);
    let mut top = 120.0;
    let mut known: Vec<&str> = block.iter().chain(&to).map(|l| l.trim()).collect();
    known.extend([me.sender.trim(), ctx.today.trim()]);
    for line in body_rows(body_after_blocks(&letter.body, &known), BODY_CHARS) {
        if top > PAGE_H - BOTTOM {
            let (page, layer) = doc.add_page(Mm(PAGE_W), Mm(PAGE_H), "letter");
            pen = Pen { layer: doc.get_page(page).get_layer(layer), font: &font };
            top = 20.0;
        }
        if !line.is_empty() {
            pen.text(&line, BODY_PT, LEFT, top);
        }
        top += BODY_LINE;
    }
    doc.save_to_bytes().map_err(pdf_err)
}

/// The body without its opening lines that repeat what the page already prints in its own
/// blocks (a letter written for the post, such as the formal notice, opens with the sender,
/// the customer's address and the date): each line of that opening that is blank, one of
/// `known`, or ends with one ("Attn. Jan Jansen") is left out; the body starts at the first
/// other line.
fn body_after_blocks<'a>(body: &'a str, known: &[&str]) -> &'a str {
    let repeats = |line: &str| {
        let line = line.trim();
        line.is_empty()
            || known.iter().any(|k| !k.is_empty() && (line == *k || line.ends_with(&format!(" {k}"))))
    };
    let mut rest = body;
    while let Some((line, after)) = rest.split_once('\n') {
        if !repeats(line) {
            break;
        }
        rest = after;
    }
    rest
}

/// Writes `letter` (of `case`, sent by `channel`) as a PDF to `path`, readable by you only,
/// replacing it whole.
pub fn write(path: &Path, case: &CaseFile, config: &Config, letter: &Letter, channel: Channel) -> Result<()> {
    let call = context::last_call(case);
    let ctx = context::build(case, config, letter.kind, letter.lang, channel, &call);
    let bytes = render(&ctx, letter)?;
    crate::platform::files::write_private_with(path, |f| f.write_all(&bytes))
        .map_err(|e| anyhow!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_loses_only_the_opening_lines_the_blocks_print() {
        let body = "Ann Peeters\nRue Haute 5\n\nAcme NV\nAttn. Jan Jansen\nDok Noord 7\n\n2026-11-23\nBy registered mail\n\nDear Jan,\nAcme NV owes.\n";
        let known = ["Ann Peeters", "Rue Haute 5", "Acme NV", "Jan Jansen", "Dok Noord 7", "2026-11-23"];
        assert_eq!(body_after_blocks(body, &known), "By registered mail\n\nDear Jan,\nAcme NV owes.\n");
        // A letter that opens with its salutation keeps it all.
        assert_eq!(body_after_blocks("Dear Jan,\nAnn Peeters\n", &known), "Dear Jan,\nAnn Peeters\n");
    }

    #[test]
    fn the_body_is_cleaned_and_keeps_its_lines() {
        assert_eq!(body_rows("aaa bbb ccc\n\nddddddd", 7), ["aaa bbb", "ccc", "", "ddddddd"]);
        assert_eq!(body_rows("a\u{202E}b\tc\r\nd", 10), ["ab c", "d"]);
    }
}
