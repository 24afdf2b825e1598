//! `barta text …`: line-oriented Bengali text tools over the `bangla` crate. Each tool reads
//! stdin (or `--input FILE`), one item per line, and writes exactly one output line per
//! input line. A bad line gets an error on stderr naming its line and byte offset and an
//! empty output line; the exit status is then 2, after all other lines are converted.

use bangla::{BanglaDate, Counts, DateInput, Source, SpellChecker};
use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `barta text` arguments.
#[derive(Debug, Args)]
pub struct TextArgs {
    #[command(subcommand)]
    pub command: TextCommand,
}

/// The text tools.
#[derive(Debug, Subcommand)]
pub enum TextCommand {
    /// Print each line in Barta's stored form.
    Normalize,
    /// Roman (Avro Phonetic) → Bengali by the rules alone.
    Phonetic {
        /// Also give dictionary candidates per word, as one JSON object per line.
        #[arg(long)]
        suggest: bool,
    },
    /// Bijoy (SutonnyMJ) → Unicode.
    BijoyToUnicode {
        /// Read raw cp1252 bytes from this file instead of UTF-8 text from stdin.
        #[arg(long)]
        input: Option<PathBuf>,
    },
    /// Unicode → Bijoy (SutonnyMJ).
    UnicodeToBijoy,
    /// Counts as JSON: words, graphemes, sentences, reading_seconds.
    Count {
        /// Reading speed in words per minute.
        #[arg(long, default_value_t = bangla::DEFAULT_WORDS_PER_MINUTE)]
        wpm: u32,
    },
    /// Dates: an ISO date, an RFC 3339 instant or a Bangla date per line.
    Date {
        /// Output format.
        #[arg(long, value_enum, default_value_t = DateFormat::Bangabda)]
        format: DateFormat,
        /// Place name for `--format dateline`.
        #[arg(long, default_value = "ঢাকা")]
        place: String,
    },
    /// Misspelled words of each line with suggestions, as JSON: `[{word, start, end,
    /// suggestions, kind}]` with byte offsets; kind is "misspelling", or "style" for a word
    /// whose Bangla Academy standard spelling differs (only with --standard). By default the
    /// words come from every installed source: hunspell-bn and the lexicon directory
    /// (Tesseract's Bengali list, CLDR's names of countries and languages, Bangladesh's
    /// places) that `scripts/setup` or `barta text lexicon build` makes.
    Spell {
        /// Word list (hunspell .dic or one word a line) instead of the installed sources.
        #[arg(long)]
        dict: Option<PathBuf>,
        /// A lexicon directory (as `barta text lexicon build` writes) to add.
        #[arg(long)]
        lexicon: Option<PathBuf>,
        /// A names file to add: JSON (CLDR, bn_name fields) or one name a line; repeatable.
        #[arg(long = "names")]
        names: Vec<PathBuf>,
        /// Words to accept (names, coinages); repeatable.
        #[arg(long = "accept")]
        accept: Vec<String>,
        /// Also report non-standard spellings (Bangla Academy 2012) as kind "style".
        #[arg(long)]
        standard: bool,
    },
    /// The spelling lexicon: `build` extracts it into a directory.
    Lexicon {
        #[command(subcommand)]
        command: LexiconCommand,
    },
}

/// `barta text lexicon …`.
#[derive(Debug, Subcommand)]
pub enum LexiconCommand {
    /// Extracts the word list of Tesseract's Bengali model (needs `combine_tessdata` and
    /// `dawg2wordlist` from tesseract-ocr) and copies name files into a lexicon directory,
    /// where `barta text spell` and the app find them (see ARCHITECTURE.md).
    Build {
        /// The lexicon directory to write (e.g. ~/.local/share/barta/lexicon).
        #[arg(long)]
        out: PathBuf,
        /// Tesseract's Bengali model.
        #[arg(
            long,
            default_value = "/usr/share/tesseract-ocr/5/tessdata/ben.traineddata"
        )]
        tessdata: PathBuf,
        /// JSON name files to copy (CLDR bn/territories.json, bn/languages.json, …).
        #[arg(long = "names")]
        names: Vec<PathBuf>,
        /// wordfreq's Bengali frequencies (`wordfreq/data/large_bn.msgpack.gz` from the
        /// wordfreq 3.1.1 wheel), checked and copied in: they mark the rarer spelling of a
        /// much commoner word as a misspelling.
        #[arg(long)]
        frequencies: Option<PathBuf>,
    },
}

/// Output formats of `barta text date`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DateFormat {
    /// "১ বৈশাখ ১৪৩২".
    Bangabda,
    /// "ঢাকা শুক্রবার, ০১ আগস্ট, ২০২৫".
    Dateline,
    /// "আগস্ট ১৫, ২০২২, ০১:৪২ পিএম" (needs an instant).
    Published,
    /// The Gregorian ISO date (e.g. of a Bangla date).
    Iso,
}

/// Runs a text tool over stdin, one output line per input line.
pub fn run(args: TextArgs) -> ExitCode {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    if let TextCommand::Lexicon {
        command:
            LexiconCommand::Build {
                out: dir,
                tessdata,
                names,
                frequencies,
            },
    } = &args.command
    {
        return match build_lexicon(dir, tessdata, names, frequencies.as_deref()) {
            Ok(n) => {
                let _ = writeln!(err, "wrote {n} words to {}", dir.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                let _ = writeln!(err, "error: {e}");
                ExitCode::from(1)
            }
        };
    }
    let result = match &args.command {
        TextCommand::BijoyToUnicode { input: Some(path) } => match std::fs::File::open(path) {
            Ok(f) => process(&args.command, BufReader::new(f), &mut out, &mut err),
            Err(e) => {
                let _ = writeln!(err, "error: cannot open {}: {e}", path.display());
                return ExitCode::from(2);
            }
        },
        _ => process(&args.command, std::io::stdin().lock(), &mut out, &mut err),
    };
    let flushed = out.flush();
    match (result, flushed) {
        (Ok(true), Ok(())) => ExitCode::SUCCESS,
        (Ok(false), Ok(())) => ExitCode::from(2),
        (Err(e), _) | (_, Err(e)) => {
            let _ = writeln!(err, "error: {e}");
            ExitCode::from(1)
        }
    }
}

/// A line that could not be converted.
struct LineError(String);

/// Converts every line of `input`. Returns `Ok(true)` if all lines converted, `Ok(false)`
/// if some were bad (reported on `err`), `Err` on an I/O failure.
pub fn process(
    command: &TextCommand,
    mut input: impl BufRead,
    out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<bool> {
    let spell = match command {
        TextCommand::Spell {
            dict,
            lexicon,
            names,
            accept,
            standard,
        } => {
            let loaded = match dict {
                Some(p) => SpellChecker::load(p),
                None if lexicon.is_some() => Ok(SpellChecker::default()),
                None => SpellChecker::system(),
            };
            let mut checker = loaded.unwrap_or_else(|e| {
                let _ = writeln!(err, "warning: {e}; no word is flagged");
                SpellChecker::default()
            });
            if let Some(dir) = lexicon
                && let Err(e) = checker.load_lexicon_dir(dir)
            {
                let _ = writeln!(err, "warning: {e}");
            }
            for p in names {
                if let Err(e) = checker.load_source(p, Source::Names) {
                    let _ = writeln!(err, "warning: {e}");
                }
            }
            for w in accept {
                checker.add_user_word(w);
            }
            checker.set_standard_spelling(*standard);
            Some(checker)
        }
        _ => None,
    };
    let raw_cp1252 = matches!(command, TextCommand::BijoyToUnicode { input: Some(_) });
    let mut all_ok = true;
    let mut buf = Vec::with_capacity(256);
    let mut offset: usize = 0;
    let mut line_no: usize = 0;
    loop {
        buf.clear();
        let n = input.read_until(b'\n', &mut buf)?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let line_start = offset;
        offset += n;
        let mut bytes = buf.as_slice();
        if let Some(b) = bytes.strip_suffix(b"\n") {
            bytes = b;
        }
        if let Some(b) = bytes.strip_suffix(b"\r") {
            bytes = b;
        }
        let result = if raw_cp1252 {
            Ok(bangla::bijoy_bytes_to_unicode(bytes))
        } else {
            match std::str::from_utf8(bytes) {
                Ok(text) => convert(command, text, spell.as_ref()),
                Err(e) => {
                    let at = line_start + e.valid_up_to();
                    Err(LineError(format!("invalid UTF-8 at byte {at}")))
                }
            }
        };
        match result {
            Ok(s) => writeln!(out, "{s}")?,
            Err(LineError(msg)) => {
                all_ok = false;
                let msg = if msg.starts_with("invalid UTF-8") {
                    format!("line {line_no}: {msg}")
                } else {
                    format!("line {line_no} (byte {line_start}): {msg}")
                };
                writeln!(err, "error: {msg}")?;
                writeln!(out)?;
            }
        }
    }
    Ok(all_ok)
}

fn convert(
    command: &TextCommand,
    text: &str,
    spell: Option<&SpellChecker>,
) -> Result<String, LineError> {
    Ok(match command {
        TextCommand::Normalize => bangla::normalize(text),
        TextCommand::Phonetic { suggest: false } => bangla::phonetic(text),
        TextCommand::Phonetic { suggest: true } => {
            let words: Vec<serde_json::Value> = text
                .split_whitespace()
                .filter(|w| w.is_ascii())
                .map(|w| {
                    json!({
                        "roman": w,
                        "rule": bangla::phonetic(w),
                        "suggestions": bangla::suggestions(w),
                    })
                })
                .collect();
            json!({ "text": bangla::phonetic(text), "words": words }).to_string()
        }
        TextCommand::BijoyToUnicode { .. } => bangla::bijoy_to_unicode(text),
        TextCommand::UnicodeToBijoy => bangla::unicode_to_bijoy(text),
        TextCommand::Count { wpm } => {
            let c = Counts::with_wpm(text, *wpm);
            json!({
                "words": c.words,
                "graphemes": c.graphemes,
                "sentences": c.sentences,
                "reading_seconds": c.reading_seconds,
            })
            .to_string()
        }
        TextCommand::Date { format, place } => date_line(text, *format, place)?,
        TextCommand::Lexicon { .. } => String::new(),
        TextCommand::Spell { .. } => {
            let found = spell.map(|s| s.misspellings(text)).unwrap_or_default();
            serde_json::to_string(&found).map_err(|e| LineError(e.to_string()))?
        }
    })
}

/// `barta text lexicon build`: Tesseract's Bengali word list (normalized, one word a line)
/// and the name files, and the frequency file when given, into `dir`. Returns the number of
/// words written.
fn build_lexicon(
    dir: &Path,
    tessdata: &Path,
    names: &[PathBuf],
    frequencies: Option<&Path>,
) -> Result<usize, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let tmp = std::env::temp_dir().join(format!("barta-lexicon-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(|e| e.to_string())?;
    let result = (|| {
        let prefix = tmp.join("ben.");
        let status = std::process::Command::new("combine_tessdata")
            .arg("-u")
            .arg(tessdata)
            .arg(&prefix)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .map_err(|e| format!("combine_tessdata (install tesseract-ocr): {e}"))?;
        if !status.success() {
            return Err(format!(
                "combine_tessdata could not unpack {}",
                tessdata.display()
            ));
        }
        let words = tmp.join("words.txt");
        let status = std::process::Command::new("dawg2wordlist")
            .arg(tmp.join("ben.lstm-unicharset"))
            .arg(tmp.join("ben.lstm-word-dawg"))
            .arg(&words)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .map_err(|e| format!("dawg2wordlist (install tesseract-ocr): {e}"))?;
        if !status.success() {
            return Err("dawg2wordlist failed".into());
        }
        let raw = std::fs::read(&words).map_err(|e| e.to_string())?;
        let text = String::from_utf8_lossy(&raw);
        let mut out = String::with_capacity(text.len() + 64);
        out.push_str(
            "# Tesseract's Bengali word list (tesseract-ocr-ben, Apache-2.0), normalized\n",
        );
        let mut n = 0;
        for w in bangla::spell::lexicon::parse_word_list(&text) {
            out.push_str(&bangla::normalize(w));
            out.push('\n');
            n += 1;
        }
        let target = dir.join(bangla::spell::lexicon::TESSERACT_FILE);
        std::fs::write(&target, out)
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        for p in names {
            let json = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
            bangla::spell::lexicon::parse_names_json(&json)
                .map_err(|e| format!("{}: {e}", p.display()))?;
            let name = p
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            std::fs::write(dir.join(format!("names-{name}")), json).map_err(|e| e.to_string())?;
        }
        if let Some(path) = frequencies {
            // Read through once: a file that is not wordfreq's is refused, not installed.
            bangla::spell::lexicon::read_frequencies(path, |_, _| {}).map_err(|e| e.to_string())?;
            let target = dir.join(bangla::spell::lexicon::FREQUENCY_FILE);
            std::fs::copy(path, &target)
                .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        }
        Ok(n)
    })();
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

fn date_line(text: &str, format: DateFormat, place: &str) -> Result<String, LineError> {
    let input = DateInput::parse(text).map_err(|e| LineError(e.to_string()))?;
    let date = input.date().map_err(|e| LineError(e.to_string()))?;
    Ok(match format {
        DateFormat::Bangabda => BanglaDate::from_gregorian(date)
            .map_err(|e| LineError(e.to_string()))?
            .to_string(),
        DateFormat::Dateline => bangla::format_dateline(place, date),
        DateFormat::Published => {
            let DateInput::Instant(i) = input else {
                return Err(LineError(bangla::Error::NeedsTime.to_string()));
            };
            bangla::format_published(i)
        }
        DateFormat::Iso => date.format("%Y-%m-%d").to_string(),
    })
}

/// Runs a tool on in-memory input (used by tests).
#[cfg(test)]
fn run_on(command: TextCommand, input: &[u8]) -> (String, String, bool) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let ok = process(&command, input, &mut out, &mut err).unwrap();
    (
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
        ok,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_keeps_lines_aligned_and_reports_bad_utf8() {
        let input = b"\xE0\xA7\x9F\n\xFFbad\nok\r\n";
        let (out, err, ok) = run_on(TextCommand::Normalize, input);
        assert_eq!(out, "\u{09AF}\u{09BC}\n\nok\n");
        assert!(err.contains("line 2") && err.contains("byte 4"), "{err}");
        assert!(!ok);
    }

    #[test]
    fn phonetic_and_suggestions() {
        let (out, _, ok) = run_on(
            TextCommand::Phonetic { suggest: false },
            b"ami banglay gan gai\n",
        );
        assert!(ok);
        assert_eq!(out, format!("{}\n", bangla::normalize("আমি বাংলায় গান গাই")));
        let (out, _, _) = run_on(TextCommand::Phonetic { suggest: true }, b"chottogram\n");
        let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        let sugg = v["words"][0]["suggestions"].as_array().unwrap();
        assert!(
            sugg.iter()
                .any(|s| s == &json!(bangla::normalize("চট্টগ্রাম")))
        );
    }

    #[test]
    fn bijoy_both_ways() {
        let (out, _, _) = run_on(
            TextCommand::BijoyToUnicode { input: None },
            "m¤úK©\n†cÖwm‡W›U\n".as_bytes(),
        );
        assert_eq!(
            out,
            format!(
                "{}\n{}\n",
                bangla::normalize("সম্পর্ক"),
                bangla::normalize("প্রেসিডেন্ট")
            )
        );
        let (out, _, _) = run_on(TextCommand::UnicodeToBijoy, "সম্পর্ক\n".as_bytes());
        assert_eq!(out, "m¤úK©\n");
    }

    #[test]
    fn raw_cp1252_lines() {
        let cmd = TextCommand::BijoyToUnicode {
            input: Some(PathBuf::from("-")),
        };
        let (out, _, ok) = run_on(
            cmd,
            &[
                0x86, b'c', 0xD6, b'w', b'm', 0x87, b'W', 0x9B, b'U', b'\n', 0x88, b'e', b'k',
                b'v', b'L',
            ],
        );
        assert!(ok);
        assert_eq!(
            out,
            format!("{}\n{}\n", bangla::normalize("প্রেসিডেন্ট"), "বৈশাখ")
        );
    }

    #[test]
    fn count_json() {
        let (out, _, _) = run_on(
            TextCommand::Count { wpm: 160 },
            "ঢাকা শুক্রবার, ০১ আগস্ট, ২০২৫\n".as_bytes(),
        );
        let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["words"], 5);
        assert_eq!(v["sentences"], 1);
        assert_eq!(v["reading_seconds"], 2);
        assert!(v["graphemes"].as_u64().unwrap() > 0);
    }

    #[test]
    fn dates_in_every_format_and_errors() {
        let date = |format, input: &str| {
            run_on(
                TextCommand::Date {
                    format,
                    place: "ঢাকা".into(),
                },
                input.as_bytes(),
            )
        };
        assert_eq!(
            date(DateFormat::Bangabda, "2025-04-14\n").0,
            "১ বৈশাখ ১৪৩২\n"
        );
        assert_eq!(
            date(DateFormat::Dateline, "2025-08-01\n").0,
            format!("{}\n", bangla::normalize("ঢাকা শুক্রবার, ০১ আগস্ট, ২০২৫"))
        );
        assert_eq!(
            date(DateFormat::Published, "2022-08-15T07:42:00Z\n").0,
            format!("{}\n", bangla::normalize("আগস্ট ১৫, ২০২২, ০১:৪২ পিএম"))
        );
        assert_eq!(date(DateFormat::Iso, "১ বৈশাখ ১৪৩২\n").0, "2025-04-14\n");
        let (out, err, ok) = date(DateFormat::Bangabda, "2025-04-14\nnot a date\n2025-04-13\n");
        assert_eq!(out, "১ বৈশাখ ১৪৩২\n\n৩০ চৈত্র ১৪৩১\n");
        assert!(err.contains("line 2 (byte 11)"), "{err}");
        assert!(!ok);
        let (out, err, ok) = date(DateFormat::Published, "2025-08-01\n");
        assert_eq!(out, "\n");
        assert!(err.contains("line 1"));
        assert!(!ok);
    }

    #[test]
    fn spell_with_a_given_list_and_missing_list() {
        let dir = std::env::temp_dir().join(format!("barta-text-spell-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let dict = dir.join("bn.dic");
        std::fs::write(&dict, "3\nনির্বাচন\nকমিশন\nআমি\n").unwrap();
        let cmd = TextCommand::Spell {
            dict: Some(dict.clone()),
            lexicon: None,
            names: vec![],
            accept: vec!["পুতিন".into()],
            standard: false,
        };
        let (out, _, ok) = run_on(cmd, "আমি নিরবাচন কমিশনে পুতিন 2025\n".as_bytes());
        assert!(ok);
        let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        let arr = v.as_array().unwrap();
        assert_eq!(arr.len(), 1, "{v}");
        assert_eq!(arr[0]["word"], "নিরবাচন");
        assert_eq!(arr[0]["suggestions"][0], json!(bangla::normalize("নির্বাচন")));
        let _ = std::fs::remove_dir_all(&dir);

        let cmd = TextCommand::Spell {
            dict: Some(PathBuf::from("/nonexistent.dic")),
            lexicon: None,
            names: vec![],
            accept: vec![],
            standard: false,
        };
        let (out, err, ok) = run_on(cmd, "নিরবাচন\n".as_bytes());
        assert_eq!(out, "[]\n");
        assert!(err.contains("warning"));
        assert!(ok);
    }
}
