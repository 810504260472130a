"""Safe parser and evaluator for the XLSForm expression subset (relevant / constraint).

``parse(expr)`` returns a Node tree or raises ExpressionError(code, position);
``evaluate(node, answers, current)`` computes it with XPath-like semantics;
``references(node)`` lists the ${names} read. Nothing here calls eval or exec.
"""

from __future__ import annotations

from portal.surveys.expressions.evaluate import evaluate, truthy
from portal.surveys.expressions.parser import (
    FUNCTIONS,
    MAX_REGEX_LENGTH,
    ExpressionError,
    Node,
    conjuncts,
    parse,
    references,
)

__all__ = [
    "FUNCTIONS", "MAX_REGEX_LENGTH", "ExpressionError", "Node", "conjuncts", "evaluate",
    "parse", "references", "truthy",
]
