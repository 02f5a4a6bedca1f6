//! The patterns a short text's answer must match: a small regular-expression engine that the
//! server and the browser both run, so that an answer is judged alike on both (and the browser
//! downloads a few kilobytes instead of a general regex library).
//!
//! The syntax is the common part of the usual regex syntaxes (that of the `regex` crates, which
//! a test compares this engine with): literals; `.` (any character but a line feed); classes
//! `[a-z0-9_]`, `[^…]`, with `\d \D \w \W \s \S` (ASCII: `[0-9]`, `[0-9A-Za-z_]`,
//! `[\t\n\x0B\x0C\r ]`) inside or outside; escapes of punctuation (`\.`, `\-`, `\(` …) and `\t
//! \n \r`; groups `(…)`, `(?:…)`, `(?P<name>…)`, `(?<name>…)`; alternation `|`; repetition `*`,
//! `+`, `?`, `{n}`, `{n,}`, `{n,m}` (a trailing `?` is accepted and changes nothing: only the whole
//! answer is matched); `^` and `$`; the flag `(?i)` / `(?i:…)` (case-insensitive for ASCII
//! letters). Anything else is refused when the definition is checked, with what is not supported.
//!
//! A pattern is compiled to at most [`MAX_INSTRUCTIONS`] instructions of a Thompson automaton
//! and matched by simulating all its states at once: time linear in the answer's length times
//! the pattern's size, whatever the pattern (no backtracking), and nothing recurses deeper than
//! [`MAX_NESTING`] groups.

/// The most instructions a compiled pattern may have (`(?:a{0,300}){0,300}` is far over it).
pub const MAX_INSTRUCTIONS: usize = 2_000;
/// The deepest groups may nest.
pub const MAX_NESTING: usize = 32;
/// The largest count of a repetition `{n,m}`.
pub const MAX_COUNT: u32 = 1_000;

/// A compiled pattern, matched against a whole answer.
#[derive(Debug, Clone)]
pub struct Pattern {
    program: Vec<Inst>,
}

/// Why a pattern is refused; its `Display` says it in words for the one who wrote it (written
/// by the server's check only, so the browser downloads no formatting of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternError {
    /// A reason in so many words.
    Plain(&'static str),
    /// A repetition operator with nothing before it.
    RepeatsNothing(char),
    /// An escape the engine does not read.
    Escape(char),
    /// A class set operation (`&&`, `--`, `~~`).
    ClassOperator(char),
    /// A range whose end comes before its start.
    Backwards(char, char),
    /// `{n,m}` with `m` under `n`.
    CountsDown(u32),
    /// Groups deeper than [`MAX_NESTING`].
    Nesting,
    /// A count over [`MAX_COUNT`].
    Count,
    /// More than [`MAX_INSTRUCTIONS`] compiled.
    TooComplex,
}

impl From<&'static str> for PatternError {
    fn from(reason: &'static str) -> Self {
        PatternError::Plain(reason)
    }
}

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PatternError::Plain(reason) => f.write_str(reason),
            PatternError::RepeatsNothing(c) => write!(f, "'{c}' repeats nothing"),
            PatternError::Escape(c) => write!(f, "the escape \\{c} is not supported"),
            PatternError::ClassOperator(c) => write!(f, "'{c}{c}' in a class is not supported"),
            PatternError::Backwards(lo, hi) => write!(f, "the range {lo}-{hi} is backwards"),
            PatternError::CountsDown(min) => write!(f, "the repetition {{{min},…}} has its largest count first"),
            PatternError::Nesting => write!(f, "groups nest more than {MAX_NESTING} deep"),
            PatternError::Count => write!(f, "a repetition counts to at most {MAX_COUNT}"),
            PatternError::TooComplex => write!(
                f,
                "the pattern is too complex: compiled it is larger than {MAX_INSTRUCTIONS} steps; use fewer or smaller repetitions"
            ),
        }
    }
}

#[derive(Debug, Clone)]
enum Inst {
    /// One character in the class.
    Char(Class),
    /// Go on at both.
    Split(usize, usize),
    Jump(usize),
    /// Only at the answer's start (`^`) or end (`$`).
    Start,
    End,
    Match,
}

/// A set of characters as ranges, or everything but them.
#[derive(Debug, Clone, PartialEq)]
struct Class {
    ranges: Vec<(char, char)>,
    negated: bool,
}

impl Class {
    fn one(c: char) -> Class {
        Class { ranges: vec![(c, c)], negated: false }
    }

    fn contains(&self, c: char) -> bool {
        self.ranges.iter().any(|&(a, b)| a <= c && c <= b) != self.negated
    }

    /// The class with both cases of each ASCII letter in it (for `(?i)`).
    fn fold_case(mut self) -> Class {
        let mut extra = Vec::new();
        for &(a, b) in &self.ranges {
            for (lo, hi, shift) in [('a', 'z', -32_i32), ('A', 'Z', 32)] {
                let (from, to) = (a.max(lo), b.min(hi));
                if from <= to {
                    let moved = |c: char| char::from_u32((c as i32 + shift) as u32).unwrap_or(c);
                    extra.push((moved(from), moved(to)));
                }
            }
        }
        self.ranges.extend(extra);
        self
    }
}

#[derive(Debug)]
enum Node {
    Char(Class),
    Start,
    End,
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat { node: Box<Node>, min: u32, max: Option<u32> },
}

struct Parser<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    depth: usize,
}

/// `\d`, `\w`, `\s` and their negations, as ranges in order.
fn perl_class(c: char) -> Option<Class> {
    let (ranges, negated): (&[(char, char)], bool) = match c {
        'd' | 'D' => (&[('0', '9')], c == 'D'),
        'w' | 'W' => (&[('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')], c == 'W'),
        's' | 'S' => (&[('\t', '\r'), (' ', ' ')], c == 'S'),
        _ => return None,
    };
    Some(Class { ranges: ranges.to_vec(), negated })
}

impl Parser<'_> {
    fn next(&mut self) -> Option<char> {
        self.chars.next()
    }

    fn eat(&mut self, c: char) -> bool {
        self.chars.next_if_eq(&c).is_some()
    }

    /// An alternation, up to `)` or the end.
    /// `(?i)` holds from where it stands to the end of its group, over later branches too.
    fn alternation(&mut self, mut fold: bool) -> Result<Node, PatternError> {
        let mut branches = vec![self.concat(&mut fold)?];
        while self.eat('|') {
            branches.push(self.concat(&mut fold)?);
        }
        Ok(if branches.len() == 1 { branches.remove(0) } else { Node::Alt(branches) })
    }

    fn concat(&mut self, fold: &mut bool) -> Result<Node, PatternError> {
        let mut items = Vec::new();
        while let Some(&c) = self.chars.peek() {
            if c == '|' || c == ')' {
                break;
            }
            self.next();
            let atom = match c {
                '(' => {
                    if self.eat('?') {
                        match self.next() {
                            Some(':') => {}
                            Some('i') if self.eat(')') => {
                                *fold = true;
                                continue;
                            }
                            Some('i') if self.eat(':') => {
                                let node = self.group(true)?;
                                items.push(self.repeat(node)?);
                                continue;
                            }
                            Some('P') if self.eat('<') => self.name()?,
                            Some('<') => self.name()?,
                            _ => {
                                return Err(
                                    "only the flag (?i) and groups (…), (?:…) and (?P<name>…) are supported".into()
                                );
                            }
                        }
                    }
                    self.group(*fold)?
                }
                '[' => Node::Char(self.class(*fold)?),
                '.' => Node::Char(Class { ranges: vec![('\n', '\n')], negated: true }),
                '^' => Node::Start,
                '$' => Node::End,
                '\\' => Node::Char(self.escape(false)?.fold_if(*fold)),
                '*' | '+' | '?' | '{' => return Err(PatternError::RepeatsNothing(c)),
                c => Node::Char(Class::one(c).fold_if(*fold)),
            };
            items.push(self.repeat(atom)?);
        }
        Ok(if items.len() == 1 { items.remove(0) } else { Node::Concat(items) })
    }

    /// A group's name, up to `>`.
    fn name(&mut self) -> Result<(), PatternError> {
        let mut empty = true;
        while let Some(c) = self.next() {
            match c {
                '>' if !empty => return Ok(()),
                c if c.is_ascii_alphanumeric() || c == '_' => empty = false,
                _ => break,
            }
        }
        Err("a group's name is letters, digits and '_' between < and >".into())
    }

    /// A group's inside and its `)`.
    fn group(&mut self, fold: bool) -> Result<Node, PatternError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(PatternError::Nesting);
        }
        let node = self.alternation(fold)?;
        self.depth -= 1;
        if self.eat(')') { Ok(node) } else { Err("a group is not closed with ')'".into()) }
    }

    fn escape(&mut self, in_class: bool) -> Result<Class, PatternError> {
        let c = self.next().ok_or("the pattern ends with '\\'")?;
        if let Some(class) = perl_class(c) {
            return Ok(class);
        }
        Ok(Class::one(match c {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            c if c.is_ascii_punctuation() && (in_class || c != '<' && c != '>') => c,
            _ => return Err(PatternError::Escape(c)),
        }))
    }

    /// A class after its `[`.
    fn class(&mut self, fold: bool) -> Result<Class, PatternError> {
        let negated = self.eat('^');
        let mut class = Class { ranges: Vec::new(), negated };
        let mut first = true;
        loop {
            let c = self.next().ok_or("a class is not closed with ']'")?;
            let lo = match c {
                ']' if !first => break,
                '[' => return Err("classes inside classes ([[…]]) are not supported".into()),
                '&' | '~' | '-' if self.chars.peek() == Some(&c) => {
                    return Err(PatternError::ClassOperator(c));
                }
                '\\' => {
                    let escaped = self.escape(true)?;
                    if escaped.negated || escaped.ranges.len() != 1 || escaped.ranges[0].0 != escaped.ranges[0].1 {
                        let ranges = if escaped.negated { complement(&escaped.ranges) } else { escaped.ranges };
                        class.ranges.extend(ranges);
                        first = false;
                        continue;
                    }
                    escaped.ranges[0].0
                }
                c => c,
            };
            first = false;
            let mut ahead = self.chars.clone();
            if ahead.next() == Some('-') && ahead.peek().is_some_and(|&n| n != ']') {
                self.next();
                let hi = match self.next() {
                    Some('\\') => {
                        let e = self.escape(true)?;
                        match e.ranges.as_slice() {
                            [(a, b)] if a == b && !e.negated => *a,
                            _ => return Err("a range ends with a class".into()),
                        }
                    }
                    Some(h) => h,
                    None => return Err("a class is not closed with ']'".into()),
                };
                if hi < lo {
                    return Err(PatternError::Backwards(lo, hi));
                }
                class.ranges.push((lo, hi));
            } else {
                class.ranges.push((lo, lo));
            }
        }
        Ok(class.fold_if(fold))
    }

    /// The repetition after an atom, if any: one (a repetition of a repetition needs a group),
    /// counting at most [`MAX_COUNT`].
    fn repeat(&mut self, node: Node) -> Result<Node, PatternError> {
        let quantifier = self.chars.next_if(|c| matches!(c, '*' | '+' | '?' | '{'));
        let (min, max) = match quantifier {
            None => return Ok(node),
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some(_) => {
                let min = self.number()?.ok_or("'{' needs a number: {n}, {n,} or {n,m}")?;
                let max = if self.eat(',') { self.number()? } else { Some(min) };
                if !self.eat('}') {
                    return Err("a repetition {…} is not closed with '}'".into());
                }
                if max.is_some_and(|m| m < min) {
                    return Err(PatternError::CountsDown(min));
                }
                (min, max)
            }
        };
        if min.max(max.unwrap_or(0)) > MAX_COUNT {
            return Err(PatternError::Count);
        }
        // Lazy or greedy is the same when the whole answer is matched.
        self.eat('?');
        if self.chars.peek().is_some_and(|c| matches!(c, '*' | '+' | '?' | '{')) {
            return Err("a repetition repeats a repetition: put it in a group".into());
        }
        Ok(Node::Repeat { node: Box::new(node), min, max })
    }

    fn number(&mut self) -> Result<Option<u32>, PatternError> {
        let mut n: Option<u32> = None;
        while let Some(d) = self.chars.peek().and_then(|c| c.to_digit(10)) {
            self.next();
            n = Some(n.unwrap_or(0).checked_mul(10).and_then(|n| n.checked_add(d)).ok_or("a count is too large")?);
        }
        Ok(n)
    }
}

impl Class {
    fn fold_if(self, fold: bool) -> Class {
        if fold { self.fold_case() } else { self }
    }
}

/// Every character not in `ranges`, which are in order and apart (as [`perl_class`] gives them:
/// sorting here would bring a sort into the browser's download).
fn complement(ranges: &[(char, char)]) -> Vec<(char, char)> {
    let mut out = Vec::new();
    let mut next = Some('\0');
    for &(a, b) in ranges {
        if let Some(n) = next.filter(|n| *n < a) {
            out.push((n, char::from_u32(a as u32 - 1).unwrap_or(n)));
        }
        next = next.max(char::from_u32(b as u32 + 1));
    }
    if let Some(n) = next {
        out.push((n, char::MAX));
    }
    out
}

struct Compiler {
    program: Vec<Inst>,
}

impl Compiler {
    fn push(&mut self, inst: Inst) -> Result<usize, PatternError> {
        if self.program.len() >= MAX_INSTRUCTIONS {
            return Err(PatternError::TooComplex);
        }
        self.program.push(inst);
        Ok(self.program.len() - 1)
    }

    fn patch(&mut self, at: usize, to: usize) {
        match &mut self.program[at] {
            Inst::Split(_, b) => *b = to,
            Inst::Jump(j) => *j = to,
            _ => {}
        }
    }

    fn node(&mut self, node: &Node) -> Result<(), PatternError> {
        match node {
            Node::Char(class) => drop(self.push(Inst::Char(class.clone()))?),
            Node::Start => drop(self.push(Inst::Start)?),
            Node::End => drop(self.push(Inst::End)?),
            Node::Concat(items) => {
                for item in items {
                    self.node(item)?;
                }
            }
            Node::Alt(branches) => {
                let mut jumps = Vec::new();
                for (i, branch) in branches.iter().enumerate() {
                    if i + 1 < branches.len() {
                        let split = self.push(Inst::Split(self.program.len() + 1, 0))?;
                        self.node(branch)?;
                        jumps.push(self.push(Inst::Jump(0))?);
                        let next = self.program.len();
                        self.patch(split, next);
                    } else {
                        self.node(branch)?;
                    }
                }
                let end = self.program.len();
                for j in jumps {
                    self.patch(j, end);
                }
            }
            Node::Repeat { node, min, max } => {
                for _ in 0..*min {
                    self.node(node)?;
                }
                match max {
                    None => {
                        let split = self.push(Inst::Split(self.program.len() + 1, 0))?;
                        self.node(node)?;
                        self.push(Inst::Jump(split))?;
                        let end = self.program.len();
                        self.patch(split, end);
                    }
                    Some(max) => {
                        let mut splits = Vec::new();
                        for _ in *min..*max {
                            splits.push(self.push(Inst::Split(self.program.len() + 1, 0))?);
                            self.node(node)?;
                        }
                        let end = self.program.len();
                        for s in splits {
                            self.patch(s, end);
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

impl Pattern {
    /// Compiles `pattern`, or says why it cannot be used.
    pub fn new(pattern: &str) -> Result<Pattern, PatternError> {
        let mut parser = Parser { chars: pattern.chars().peekable(), depth: 0 };
        let node = parser.alternation(false)?;
        if parser.next().is_some() {
            return Err("')' closes a group that was not opened".into());
        }
        let mut compiler = Compiler { program: Vec::new() };
        compiler.node(&node)?;
        compiler.push(Inst::Match)?;
        Ok(Pattern { program: compiler.program })
    }

    /// Whether the whole of `text` matches.
    pub fn matches(&self, text: &str) -> bool {
        let n = self.program.len();
        let (mut now, mut next) = (Vec::with_capacity(n), Vec::with_capacity(n));
        // The step at which each instruction was last added, so each is added once a step.
        let mut seen = vec![usize::MAX; n];
        let mut stack = Vec::new();
        let chars: Vec<char> = text.chars().collect();
        self.add(&mut now, &mut seen, &mut stack, 0, 0, chars.len());
        for (at, &c) in chars.iter().enumerate() {
            next.clear();
            for &pc in &now {
                if let Inst::Char(class) = &self.program[pc]
                    && class.contains(c)
                {
                    self.add(&mut next, &mut seen, &mut stack, pc + 1, at + 1, chars.len());
                }
            }
            std::mem::swap(&mut now, &mut next);
            if now.is_empty() {
                return false;
            }
        }
        now.iter().any(|&pc| matches!(self.program[pc], Inst::Match))
    }

    /// Adds `pc` and what it leads to without reading a character, at position `at` of `len`.
    fn add(&self, list: &mut Vec<usize>, seen: &mut [usize], stack: &mut Vec<usize>, pc: usize, at: usize, len: usize) {
        stack.push(pc);
        while let Some(pc) = stack.pop() {
            if seen[pc] == at {
                continue;
            }
            seen[pc] = at;
            match self.program[pc] {
                Inst::Split(a, b) => stack.extend([b, a]),
                Inst::Jump(to) => stack.push(to),
                Inst::Start if at == 0 => stack.push(pc + 1),
                Inst::End if at == len => stack.push(pc + 1),
                Inst::Start | Inst::End => {}
                Inst::Char(_) | Inst::Match => list.push(pc),
            }
        }
    }
}

#[cfg(test)]
#[path = "pattern_tests.rs"]
mod tests;
