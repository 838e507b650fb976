"""Numbers as Chinese documents write them: 十二, 两, 1,000, 5.69.

Used to check that a target's value occurs in its quote, and to read outline
numbers like (二十八).
"""

from __future__ import annotations

import re

CN_DIGITS = "零一二三四五六七八九"


def int_to_cn(n: int) -> set[str]:
    """Chinese numeral spellings of a small integer (一, 十, 十二, 二十, 两, 一百…)."""
    if n < 0 or n > 9999:
        return set()
    if n < 10:
        forms = {CN_DIGITS[n]}
        if n == 2:
            forms.add("两")
        return forms
    if n < 100:
        tens, ones = divmod(n, 10)
        head = "十" if tens == 1 else CN_DIGITS[tens] + "十"
        base = head + (CN_DIGITS[ones] if ones else "")
        return {base, "一" + base if tens == 1 else base}
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = CN_DIGITS[hundreds] + "百"
        if rest == 0:
            return {head}
        if rest < 10:
            return {head + "零" + CN_DIGITS[rest]}
        return ({head + f for f in int_to_cn(rest) if not f.startswith("十")}
                | {head + "一" + f for f in int_to_cn(rest) if f.startswith("十")})
    thousands, rest = divmod(n, 1000)
    head = CN_DIGITS[thousands] + "千"
    return {head} if rest == 0 else {head + f for f in int_to_cn(rest)} | {head + "零" + f for f in int_to_cn(rest)}


def cn_to_int(text: str) -> int | None:
    """The value of a Chinese numeral of up to 9999 (三十九 -> 39, 两 -> 2, ③ -> 3), or None."""
    if not text:
        return None
    if len(text) == 1 and "①" <= text <= "⑳":
        return ord(text) - ord("①") + 1  # circled numbers (① … ⑳)
    if text.isdecimal():
        return int(text)  # 12, and full-width １２; not ² (a digit int() cannot read)
    digits = {c: i for i, c in enumerate(CN_DIGITS)}
    digits["两"] = 2
    units = {"十": 10, "百": 100, "千": 1000}
    total, current = 0, 0
    for ch in text:
        if ch in digits:
            current = digits[ch]
        elif ch in units:
            total += (current or 1) * units[ch]
            current = 0
        else:
            return None
    return total + current


def value_forms(v: float) -> set[str]:
    """The ways a value can be written: 5.69, 1,000, 一百…"""
    text = f"{v:.6f}".rstrip("0").rstrip(".")
    forms = {text}
    if float(v).is_integer():
        n = int(v)
        forms |= int_to_cn(n)
        if n >= 1000:
            forms.add(f"{n:,}")
    return forms


def value_in(v: float | None, *texts: str) -> bool:
    """Does value ``v`` occur, as a whole number, in any of ``texts``?"""
    if v is None:
        return True
    digits_only = [re.sub(r"\s", "", t) for t in texts if t]
    for form in value_forms(v):
        for t in digits_only:
            if form.isdigit() or re.fullmatch(r"[\d.,]+", form):
                # a number must not be part of a longer number: 19 is not in 190
                if re.search(r"(?<![\d.])" + re.escape(form) + r"(?![\d])", t):
                    return True
            elif form in t:
                return True
    return False
