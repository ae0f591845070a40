"""Reports from the public and from enterprises that become risk records: consumer complaints
(12315/12360), whistleblower reports (吹哨人), enterprise accident reports and self-inspection
results, with their attachments and the abuse protection of the public forms."""
