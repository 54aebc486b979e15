//! `src/gs1/table.rs` is generated from the GS1 Barcode Syntax Dictionary, which is not part
//! of the project but of the shared corpus. This test regenerates the table and fails if the
//! committed one drifted (or, unless `TEM_SKIP_CORPUS=1`, if the dictionary is missing);
//! `TEM_WRITE_GS1_TABLE=1 cargo test -p tem-core --test payload_gs1_table` rewrites it.

use std::path::PathBuf;

/// One dictionary line rendered as a line of `RULES` (its format is documented there); the
/// spec and attributes stay as text because `gs1` reads them the same way the dictionary
/// defines them.
fn render_entry(line: &str) -> Result<String, String> {
    let (body, title) = match line.split_once('#') {
        Some((body, title)) => (body, title.trim()),
        None => (line, ""),
    };
    let mut words = body.split_whitespace().peekable();
    let ais = words.next().ok_or("no AI")?;
    let (first, last) = ais.split_once('-').unwrap_or((ais, ais));
    let mut flags = "";
    const FLAG_CHARACTERS: &str = "*!?\"$%&'()+,-./:;<=>@[\\]^_`{|}~";
    if let Some(word) = words.peek()
        && word.chars().all(|c| FLAG_CHARACTERS.contains(c))
    {
        flags = word;
        words.next();
    }
    let mut spec = Vec::new();
    let (mut dl_key, mut req, mut ex) = (None, Vec::new(), Vec::new());
    for word in words {
        if let Some(value) = word.strip_prefix("req=") {
            req.push(value);
        } else if let Some(value) = word.strip_prefix("ex=") {
            ex.push(value);
        } else if word == "dlpkey" {
            dl_key = Some("");
        } else if let Some(value) = word.strip_prefix("dlpkey=") {
            dl_key = Some(value);
        } else if req.is_empty() && ex.is_empty() && dl_key.is_none() {
            spec.push(word);
        } else {
            return Err(format!("unexpected word {word:?}"));
        }
    }
    if spec.is_empty() {
        return Err("no specification".into());
    }
    let last = if last == first { "" } else { last };
    let flags: String = [('*', 'f'), ('?', 'd')]
        .iter()
        .filter(|(flag, _)| flags.contains(*flag))
        .map(|(_, letter)| letter)
        .collect();
    let (spec, req, ex) = (spec.join(" "), req.join(" "), ex.join(" "));
    let fields = [
        first,
        last,
        &flags,
        &spec,
        dl_key.unwrap_or("-"),
        &req,
        &ex,
        title,
    ];
    if fields.iter().any(|field| field.contains([';', '\n'])) {
        return Err("a field holds the table's separator".into());
    }
    Ok(format!("    {:?},\n", fields.join(";") + "\n"))
}

fn render(dictionary: &str) -> String {
    let mut out = String::from(
        "// Generated from the GS1 Barcode Syntax Dictionary (Apache-2.0, GS1 AISBL) by\n\
         // tests/payload_gs1_table.rs; edit the generator, not this file.\n\n\
         /// One line a rule: `ai;last;flags;spec;key;req;ex;title`. `last` is empty for a rule of\n\
         /// one AI; the flags are `f` (predefined length) and `d` (a Digital Link data\n\
         /// attribute); `key` is `-` for an AI that is not a Digital Link primary key, else its\n\
         /// qualifier sequences. Text, not an array of `Rule`s: the array's pointers and\n\
         /// lengths made the page's wasm 6.4 KB larger (1.7 KB gzip).\n\
         #[rustfmt::skip]\n\
         pub(super) const RULES: &str = concat!(\n",
    );
    for line in dictionary.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match render_entry(line) {
            Ok(entry) => out.push_str(&entry),
            Err(problem) => panic!("dictionary line {line:?}: {problem}"),
        }
    }
    out.push_str(");\n");
    out
}

#[test]
fn generated_gs1_table_matches_the_syntax_dictionary() {
    let Some(path) = tem_corpus::require("gs1/gs1-syntax-dictionary.txt") else {
        return;
    };
    let dictionary =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let table = render(&dictionary);
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/gs1/table.rs");
    if std::env::var_os("TEM_WRITE_GS1_TABLE").is_some() {
        std::fs::write(&target, &table).expect("write src/gs1/table.rs");
        return;
    }
    let committed = std::fs::read_to_string(&target).unwrap_or_default();
    assert!(
        committed == table,
        "src/gs1/table.rs is out of date with the GS1 syntax dictionary; regenerate it with \
         TEM_WRITE_GS1_TABLE=1 cargo test -p tem-core --test payload_gs1_table"
    );
}

#[test]
fn every_dictionary_entry_is_understood_by_the_generator() {
    let line = "8030        ?  Z..90  req=00,01+21,03+21 # DIGSIG";
    let entry = render_entry(line).expect("entry");
    assert_eq!(
        entry,
        "    \"8030;;d;Z..90;-;00,01+21,03+21;;DIGSIG\\n\",\n"
    );
    assert!(
        render_entry("01 *? ex=255").is_err(),
        "an entry without a format is refused"
    );
}
