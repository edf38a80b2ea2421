from django.core.files.storage import FileSystemStorage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """Local storage for enterprise uploads: kept outside MEDIA_ROOT and never given a URL.

    Files are handed out only by views that check permission and stream the content, so
    asking for a URL is a programming error and fails loudly instead of leaking a path.
    """

    def url(self, name):
        raise NotImplementedError("Private files are served only through a permission-checking view.")


def private_storage():
    """The private storage (STORAGES["private"]), looked up when used so tests and deployments
    can point it elsewhere: local disk by default, a private S3 bucket in production."""
    return storages["private"]
