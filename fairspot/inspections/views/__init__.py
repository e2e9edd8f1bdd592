"""Staff pages of visits. Writes go through ``fairspot.inspections.services``; a refusal
(``DomainError``) is shown through ``fairspot.core.actions``.

``lists`` (the visit list, the due/overdue list, reminders; their ``filters`` and ``exports``),
``visit`` (the visit page, finishing, alternates), ``lines`` (the per-item forms, attachments),
``documents`` (notices and record forms, PDFs), ``questions`` (question banks). URL names: ``urls.py``.
"""
