#!/usr/bin/env python3
"""Writes a settle database's book (invoices, payments, credits, write-offs) as an hledger
journal on stdout, for scripts/bench-hledger.sh. Amounts stay exact: cents are printed as
integers with two decimals, never through floats."""
import sqlite3
import sys


def money(cents: int, currency: str) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d} {currency}"


def account(name: str) -> str:
    # hledger ends an account name at two spaces; colons would nest.
    return "assets:receivables:" + " ".join(name.replace(":", " ").split())


def main() -> None:
    db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
    out = sys.stdout
    invoices = db.execute(
        "SELECT i.id, i.number, i.issued, i.amount_cents, i.currency, c.name "
        "FROM invoices i JOIN customers c ON c.id = i.customer_id ORDER BY i.issued, i.id")
    names = {}
    for _id, number, issued, cents, cur, name in invoices:
        names[_id] = (number, cur, account(name))
        out.write(f"{issued} Invoice {number}\n    {account(name)}  {money(cents, cur)}\n"
                  f"    revenue\n\n")
    for inv, paid_on, cents, kind in db.execute(
            "SELECT invoice_id, paid_on, amount_cents, kind FROM payments ORDER BY paid_on, id"):
        number, cur, acct = names[inv]
        other = {"payment": "assets:bank", "credit": "revenue:credits",
                 "write_off": "expenses:bad debts"}[kind]
        out.write(f"{paid_on} {kind.replace('_', '-')} {number}\n    {other}  {money(cents, cur)}\n"
                  f"    {acct}\n\n")


if __name__ == "__main__":
    main()
