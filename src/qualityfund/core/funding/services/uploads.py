"""Reading an uploaded file whole, for the small files of this stage (lists,
minutes, scans)."""


def read_upload(uploaded) -> bytes:
    data = b"".join(uploaded.chunks())
    uploaded.seek(0)
    return data
