"""Tokenise and parse XLSForm relevant/constraint expressions (no eval) into a Node tree.

Grammar (the XPath subset used by XLSForm skip logic):
``or`` / ``and`` / comparisons ``= != < <= > >=`` / ``+ -`` / ``* div mod`` / unary ``-``,
``${name}``, ``.``, string and number literals, parentheses and the functions in FUNCTIONS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import re2

MAX_EXPRESSION_LENGTH = 4000
MAX_DEPTH = 60
MAX_REGEX_LENGTH = 200

# ExpressionError codes.
UNEXPECTED_CHARACTER = "unexpected_character"  # a character that starts no token
UNTERMINATED_STRING = "unterminated_string"  # a quote without its closing quote
TYPOGRAPHIC_QUOTE = "typographic_quote"  # ‘ ’ “ ” used as string quotes
UNEXPECTED_TOKEN = "unexpected_token"  # a token where the grammar does not allow it
UNEXPECTED_END = "unexpected_end"  # the expression stops too early
UNKNOWN_FUNCTION = "unknown_function"  # a function outside FUNCTIONS (e.g. if, today)
WRONG_ARGUMENTS = "wrong_arguments"  # a function called with the wrong number/kind of args
REGEX_TOO_LONG = "regex_too_long"  # a regex() pattern longer than MAX_REGEX_LENGTH
INVALID_REGEX = "invalid_regex"  # a regex() pattern that is not a regular expression
UNSUPPORTED_REGEX = "unsupported_regex"  # back-references, look-around: RE2 does not run them
TOO_LONG = "too_long"  # an expression longer than MAX_EXPRESSION_LENGTH
TOO_DEEP = "too_deep"  # nesting deeper than MAX_DEPTH

FUNCTIONS: dict[str, int] = {
    "not": 1, "selected": 2, "count-selected": 1, "string-length": 1, "regex": 2,
    "true": 0, "false": 0,
    # for calculate: the arithmetic and choice of ODK's most used calculations
    "if": 3, "coalesce": 2, "int": 1, "number": 1, "string": 1, "round": 2,
    "normalize-space": 1, "concat": -1,  # -1: any number of arguments
}
TYPOGRAPHIC_QUOTES = "\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00b4\u2032"
COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")

_TOKEN_RE = re.compile(
    r"""(?P<ws>\s+)
    |(?P<ref>\$\{(?P<refname>[A-Za-z_][\w.\-]*)\})
    |(?P<num>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)
    |(?P<str>'[^']*'|"[^"]*")
    |(?P<op>!=|<=|>=|[=<>+\-*(),])
    |(?P<dot>\.(?!\.))
    |(?P<name>[A-Za-z_][\w\-]*(?<!-))
    """,
    re.VERBOSE,
)


class ExpressionError(ValueError):
    """A coded parse error at a character position."""

    def __init__(self, code: str, position: int) -> None:
        super().__init__(f"{code} at {position}")
        self.code = code
        self.position = position


@dataclass(frozen=True)
class Node:
    """One node of a parsed expression; start/end index the source text."""

    kind: str  # num | str | ref | cur | bin | neg | call
    value: object = None  # literal, reference name, operator or function name
    children: tuple[Node, ...] = ()
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Token:
    """A lexical token."""

    kind: str
    text: str
    pos: int


def tokenize(expr: str) -> list[Token]:
    """Split an expression into tokens, raising ExpressionError on bad input."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(expr):
        match = _TOKEN_RE.match(expr, pos)
        if match is None:
            char = expr[pos]
            if char in TYPOGRAPHIC_QUOTES:
                raise ExpressionError(TYPOGRAPHIC_QUOTE, pos)
            code = UNTERMINATED_STRING if char in "'\"" else UNEXPECTED_CHARACTER
            raise ExpressionError(code, pos)
        kind = match.lastgroup or ""
        if kind == "refname":
            kind = "ref"
        if kind != "ws":
            text = match.group("refname") if kind == "ref" else match.group()
            tokens.append(Token(kind, text, pos))
        pos = match.end()
    return tokens


class _Parser:
    """Recursive-descent parser over a token list."""

    def __init__(self, expr: str) -> None:
        self.expr = expr
        self.tokens = tokenize(expr)
        self.index = 0
        self.depth = 0

    def peek(self) -> Token | None:
        """Return the next token without consuming it."""
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> Token:
        """Consume and return the next token."""
        token = self.peek()
        if token is None:
            raise ExpressionError(UNEXPECTED_END, len(self.expr))
        self.index += 1
        return token

    def expect(self, text: str) -> Token:
        """Consume an operator token with the given text."""
        token = self.take()
        if token.kind != "op" or token.text != text:
            raise ExpressionError(UNEXPECTED_TOKEN, token.pos)
        return token

    def at(self, *texts: str) -> bool:
        """Return True when the next token is an operator or keyword in ``texts``."""
        token = self.peek()
        return token is not None and token.kind in ("op", "name") and token.text in texts

    def binary(self, level: int) -> Node:
        """Parse a left-associative binary level of the precedence table."""
        if level == len(_LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while self.at(*_LEVELS[level]):
            op = self.take().text
            right = self.binary(level + 1)
            left = Node("bin", op, (left, right), left.start, right.end)
        return left

    def unary(self) -> Node:
        """Parse unary minus or a primary."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            token = self.peek()
            raise ExpressionError(TOO_DEEP, token.pos if token else len(self.expr))
        if self.at("-") and self.peek().kind == "op":  # type: ignore[union-attr]
            start = self.take().pos
            operand = self.unary()
            node = Node("neg", "-", (operand,), start, operand.end)
        else:
            node = self.primary()
        self.depth -= 1
        return node

    def primary(self) -> Node:
        """Parse a literal, reference, function call or parenthesised expression."""
        token = self.take()
        end = token.pos + len(token.text)
        if token.kind == "num":
            return Node("num", float(token.text), (), token.pos, end)
        if token.kind == "str":
            return Node("str", token.text[1:-1], (), token.pos, end)
        if token.kind == "ref":
            return Node("ref", token.text, (), token.pos, token.pos + len(token.text) + 3)
        if token.kind == "dot":
            return Node("cur", None, (), token.pos, end)
        if token.kind == "op" and token.text == "(":
            inner = self.binary(0)
            close = self.expect(")")
            return Node(inner.kind, inner.value, inner.children, token.pos, close.pos + 1)
        if token.kind == "name" and self.at("("):
            return self.call(token)
        raise ExpressionError(UNEXPECTED_TOKEN, token.pos)

    def call(self, name: Token) -> Node:
        """Parse a function call whose name has been consumed."""
        if name.text not in FUNCTIONS:
            raise ExpressionError(UNKNOWN_FUNCTION, name.pos)
        self.expect("(")
        args: list[Node] = []
        if not self.at(")"):
            args.append(self.binary(0))
            while self.at(","):
                self.take()
                args.append(self.binary(0))
        close = self.expect(")")
        if FUNCTIONS[name.text] >= 0 and len(args) != FUNCTIONS[name.text]:
            raise ExpressionError(WRONG_ARGUMENTS, name.pos)
        if name.text == "regex":
            _check_regex(args[1])
        return Node("call", name.text, tuple(args), name.pos, close.pos + 1)


_LEVELS: tuple[tuple[str, ...], ...] = (
    ("or",), ("and",), ("=", "!="), ("<", "<=", ">", ">="), ("+", "-"), ("*", "div", "mod"),
)


def _check_regex(pattern: Node) -> None:
    """Require a literal, short, compilable regex pattern."""
    if pattern.kind != "str":
        raise ExpressionError(WRONG_ARGUMENTS, pattern.start)
    text = str(pattern.value)
    if len(text) > MAX_REGEX_LENGTH:
        raise ExpressionError(REGEX_TOO_LONG, pattern.start)
    try:
        compile_regex(text)
    except re2.error:
        try:
            re.compile(text)
        except (re.error, RecursionError, OverflowError):
            raise ExpressionError(INVALID_REGEX, pattern.start) from None
        raise ExpressionError(UNSUPPORTED_REGEX, pattern.start) from None


_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False  # a refused pattern is the author's error, reported as such


@lru_cache(maxsize=256)
def compile_regex(pattern: str) -> re2._Regexp:
    """Compile an XForms regex with RE2: linear time in the answer, whatever the pattern.

    Python's backtracking engine takes exponential time on patterns such as
    ``^([a-zA-Z]+\\s?)*$``; RE2 never backtracks, and refuses (re2.error) the features that
    need backtracking: back-references and look-around. Like Java's (ODK's), its \\d, \\w and
    \\s are ASCII, and a '-' after a class escape inside [...] is a literal.
    """
    return re2.compile(pattern, _RE2_OPTIONS)


def parse(expr: str) -> Node:
    """Parse an expression into a Node tree or raise ExpressionError."""
    if not isinstance(expr, str):
        raise ExpressionError(UNEXPECTED_TOKEN, 0)
    if len(expr) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(TOO_LONG, MAX_EXPRESSION_LENGTH)
    parser = _Parser(expr)
    if not parser.tokens:
        raise ExpressionError(UNEXPECTED_END, 0)
    node = parser.binary(0)
    leftover = parser.peek()
    if leftover is not None:
        raise ExpressionError(UNEXPECTED_TOKEN, leftover.pos)
    return node


def references(node: Node) -> set[str]:
    """Return every ${name} the expression reads."""
    found = {str(node.value)} if node.kind == "ref" else set()
    for child in node.children:
        found |= references(child)
    return found


def conjuncts(node: Node) -> list[Node]:
    """Flatten a top-level chain of ``and`` into its operands."""
    if node.kind == "bin" and node.value == "and":
        return conjuncts(node.children[0]) + conjuncts(node.children[1])
    return [node]

