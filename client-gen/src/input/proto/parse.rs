//! The proto2 subset Kubernetes' `generated.proto` files use: `syntax`, `package`, `import`,
//! `option`, messages (nested too) with `optional`/`repeated` fields and `map<K, V>`.
//! Anything else is an error naming the file and line, never skipped silently.

use crate::error::Error;
use crate::proto::{ProtoLabel, ProtoType};

/// One parsed file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProtoFile {
    pub file: String,
    pub package: String,
    pub messages: Vec<MessageDecl>,
}

/// A message, with its full name (`k8s.io.api.core.v1.Pod`).
#[derive(Clone, Debug, PartialEq)]
pub struct MessageDecl {
    pub name: String,
    pub line: usize,
    pub fields: Vec<FieldDecl>,
}

/// A field as written; `ty` is resolved to a full message name by `resolve`.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldDecl {
    pub name: String,
    pub number: u32,
    pub label: ProtoLabel,
    pub ty: ProtoType,
    pub line: usize,
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Word(String),
    Text(String),
    Symbol(char),
}

struct Lexer<'a> {
    file: &'a str,
    tokens: Vec<(Token, usize)>,
    at: usize,
}

fn tokenize(file: &str, text: &str) -> Result<Vec<(Token, usize)>, Error> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut line = 1;
    while let Some((_, c)) = chars.next() {
        match c {
            '\n' => line += 1,
            c if c.is_whitespace() => {}
            '/' if chars.peek().map(|p| p.1) == Some('/') => {
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        line += 1;
                        break;
                    }
                }
            }
            '/' if chars.peek().map(|p| p.1) == Some('*') => {
                let start = line;
                chars.next();
                let mut last = ' ';
                let mut closed = false;
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        line += 1;
                    }
                    if last == '*' && c == '/' {
                        closed = true;
                        break;
                    }
                    last = c;
                }
                if !closed {
                    return Err(at(file, start, "a /* comment is never closed"));
                }
            }
            '"' | '\'' => {
                let mut value = String::new();
                let mut closed = false;
                for (_, d) in chars.by_ref() {
                    if d == c {
                        closed = true;
                        break;
                    }
                    if d == '\n' {
                        break;
                    }
                    value.push(d);
                }
                if !closed {
                    return Err(at(file, line, "a string is not closed on its line"));
                }
                tokens.push((Token::Text(value), line));
            }
            c if c.is_ascii_alphanumeric() || c == '_' || c == '.' => {
                let mut word = String::from(c);
                while let Some(&(_, d)) = chars.peek() {
                    if d.is_ascii_alphanumeric() || d == '_' || d == '.' {
                        word.push(d);
                        chars.next();
                    } else {
                        break;
                    }
                }
                tokens.push((Token::Word(word), line));
            }
            '{' | '}' | ';' | '=' | '<' | '>' | ',' | '[' | ']' | '(' | ')' | '-' | '+' => {
                tokens.push((Token::Symbol(c), line))
            }
            other => return Err(at(file, line, format!("unexpected character {other:?}"))),
        }
    }
    Ok(tokens)
}

fn at(file: &str, line: usize, message: impl Into<String>) -> Error {
    Error::At {
        file: file.to_owned(),
        line,
        pointer: String::new(),
        message: message.into(),
    }
}

impl Lexer<'_> {
    fn line(&self) -> usize {
        self.tokens
            .get(self.at)
            .or(self.tokens.last())
            .map_or(1, |t| t.1)
    }

    fn error(&self, message: impl Into<String>) -> Error {
        at(self.file, self.line(), message)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).map(|t| t.0.clone());
        self.at += 1;
        token
    }

    fn word(&mut self, what: &str) -> Result<String, Error> {
        match self.next() {
            Some(Token::Word(w)) => Ok(w),
            other => {
                self.at -= 1;
                Err(self.error(format!(
                    "expected {what}, found {}",
                    describe(other.as_ref())
                )))
            }
        }
    }

    fn symbol(&mut self, symbol: char) -> Result<(), Error> {
        match self.next() {
            Some(Token::Symbol(s)) if s == symbol => Ok(()),
            other => {
                self.at -= 1;
                Err(self.error(format!(
                    "expected `{symbol}`, found {}",
                    describe(other.as_ref())
                )))
            }
        }
    }

    /// Skips to the end of a statement (`option ...;`, `reserved ...;`), bracket contents too.
    fn skip_statement(&mut self) -> Result<(), Error> {
        loop {
            match self.next() {
                Some(Token::Symbol(';')) => return Ok(()),
                Some(_) => {}
                None => return Err(self.error("the file ends inside a statement (no `;`)")),
            }
        }
    }
}

fn describe(token: Option<&Token>) -> String {
    match token {
        Some(Token::Word(w)) => format!("`{w}`"),
        Some(Token::Text(t)) => format!("\"{t}\""),
        Some(Token::Symbol(s)) => format!("`{s}`"),
        None => "the end of the file".to_owned(),
    }
}

/// Parses one file's text; `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<ProtoFile, Error> {
    let mut lx = Lexer {
        file,
        tokens: tokenize(file, text)?,
        at: 0,
    };
    let mut out = ProtoFile {
        file: file.to_owned(),
        ..ProtoFile::default()
    };
    while let Some(token) = lx.next() {
        match token {
            Token::Word(w) if w == "syntax" => {
                lx.symbol('=')?;
                match lx.next() {
                    Some(Token::Text(s)) if s == "proto2" || s == "proto3" => {}
                    other => {
                        lx.at -= 1;
                        return Err(lx.error(format!(
                            "syntax {}: only proto2 and proto3 are read",
                            describe(other.as_ref())
                        )));
                    }
                }
                lx.symbol(';')?;
            }
            Token::Word(w) if w == "package" => {
                out.package = lx.word("a package name")?;
                lx.symbol(';')?;
            }
            Token::Word(w) if w == "import" || w == "option" => lx.skip_statement()?,
            Token::Word(w) if w == "message" => {
                let prefix = out.package.clone();
                message(&mut lx, &prefix, &mut out.messages)?;
            }
            Token::Symbol(';') => {}
            other => {
                lx.at -= 1;
                return Err(lx.error(format!(
                    "{} is not part of the proto subset Kubernetes' generated.proto files use \
                     (syntax, package, import, option, message)",
                    describe(Some(&other))
                )));
            }
        }
    }
    Ok(out)
}

/// A message after its keyword, with nested messages added to `out` as `Outer.Inner`.
fn message(lx: &mut Lexer<'_>, scope: &str, out: &mut Vec<MessageDecl>) -> Result<(), Error> {
    let line = lx.line();
    let short = lx.word("a message name")?;
    let name = if scope.is_empty() {
        short
    } else {
        format!("{scope}.{short}")
    };
    lx.symbol('{')?;
    let mut decl = MessageDecl {
        name: name.clone(),
        line,
        fields: Vec::new(),
    };
    loop {
        let line = lx.line();
        let Some(token) = lx.next() else {
            return Err(lx.error(format!("message {name} is never closed")));
        };
        let label = match &token {
            Token::Symbol('}') => break,
            Token::Symbol(';') => continue,
            Token::Word(w) if w == "option" || w == "reserved" => {
                lx.skip_statement()?;
                continue;
            }
            Token::Word(w) if w == "message" => {
                message(lx, &name, out)?;
                continue;
            }
            Token::Word(w) if w == "optional" || w == "required" => ProtoLabel::Optional,
            Token::Word(w) if w == "repeated" => ProtoLabel::Repeated,
            Token::Word(w) if w == "map" => ProtoLabel::Map,
            other => {
                lx.at -= 1;
                return Err(lx.error(format!(
                    "in message {name}: {} is not a field (`optional`, `repeated`, `map<..>`), \
                     an option or a nested message",
                    describe(Some(other))
                )));
            }
        };
        let ty = if label == ProtoLabel::Map {
            lx.symbol('<')?;
            let key = lx.word("a map key type")?;
            if key != "string" {
                return Err(lx.error(format!(
                    "in message {name}: a map with {key} keys (only string keys are read)"
                )));
            }
            lx.symbol(',')?;
            let value = lx.word("a map value type")?;
            lx.symbol('>')?;
            type_of(&value)
        } else {
            type_of(&lx.word("a field type")?)
        };
        let field = lx.word("a field name")?;
        lx.symbol('=')?;
        let number = lx.word("a field number")?;
        let number: u32 = number
            .parse()
            .ok()
            .filter(|n| (1..=536_870_911).contains(n))
            .ok_or_else(|| {
                lx.error(format!(
                    "in message {name}: field {field} has number {number} (must be 1 to 2^29-1)"
                ))
            })?;
        match lx.next() {
            Some(Token::Symbol(';')) => {}
            // Field options (`[default = ...]`): nothing Kubernetes' files need; skipped.
            Some(Token::Symbol('[')) => lx.skip_statement()?,
            other => {
                lx.at -= 1;
                return Err(lx.error(format!(
                    "in message {name}: expected `;` after field {field}, found {}",
                    describe(other.as_ref())
                )));
            }
        }
        if let Some(dup) = decl.fields.iter().find(|f| f.number == number) {
            return Err(at(
                lx.file,
                line,
                format!(
                    "in message {name}: fields {} and {field} share number {number}",
                    dup.name
                ),
            ));
        }
        decl.fields.push(FieldDecl {
            name: field,
            number,
            label,
            ty,
            line,
        });
    }
    out.push(decl);
    Ok(())
}

/// A scalar keyword, or a message name as written (resolved later against every file).
fn type_of(word: &str) -> ProtoType {
    ProtoType::scalar(word).unwrap_or_else(|| ProtoType::Message(word.to_owned()))
}

/// Resolves every message reference to a full name, as proto scoping does: a leading `.` is
/// already full; otherwise the innermost enclosing scope that has the name wins.
pub fn resolve(files: &mut [ProtoFile]) -> Result<(), Error> {
    let known: std::collections::BTreeSet<String> = files
        .iter()
        .flat_map(|f| f.messages.iter().map(|m| m.name.clone()))
        .collect();
    for file in files.iter_mut() {
        for message in &mut file.messages {
            for field in &mut message.fields {
                let ProtoType::Message(written) = &field.ty else {
                    continue;
                };
                let resolved = if let Some(full) = written.strip_prefix('.') {
                    known.contains(full).then(|| full.to_owned())
                } else {
                    let mut scope = message.name.as_str();
                    loop {
                        let candidate = format!("{scope}.{written}");
                        if known.contains(&candidate) {
                            break Some(candidate);
                        }
                        match scope.rsplit_once('.') {
                            Some((outer, _)) => scope = outer,
                            None => break known.contains(written).then(|| written.clone()),
                        }
                    }
                };
                let Some(full) = resolved else {
                    return Err(at(
                        &file.file,
                        field.line,
                        format!(
                            "in message {}: field {} refers to {written}, which no given .proto \
                             file defines (give its file too, e.g. apimachinery's)",
                            message.name, field.name
                        ),
                    ));
                };
                field.ty = ProtoType::Message(full);
            }
        }
    }
    Ok(())
}
