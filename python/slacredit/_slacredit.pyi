"""The compiled half: each function runs the Rust library on a request (the JSON document
``slacredit claim --request`` reads) and returns the report's JSON text with its values typed."""

from typing import Any, List, Optional, Tuple

def compute(request: str, name: str) -> Tuple[str, Any, List[str]]: ...
def compute_csv(request: str, name: str, columns: Optional[str] = None) -> str: ...
def audit(request: str, name: str, year: int) -> Tuple[str, Any]: ...
def reconcile(
    request: str, name: str, year: int, issued_name: str, issued: str
) -> Tuple[str, Any, bool]: ...
def import_windows(
    tool: str,
    name: str,
    text: str,
    map: Optional[Tuple[str, str]] = None,
    labels: List[Tuple[str, str]] = ...,
    open_until: Optional[str] = None,
    input_timezone: Optional[str] = None,
    source: Optional[str] = None,
) -> Tuple[str, str, Any, List[str]]: ...
def tool() -> str: ...
