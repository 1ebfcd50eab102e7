export { createClient, type TimeTonicClient, type SessionKeys, type BookRef, type NewMessage, type FileToUpload, type CellFileToUpload, type FieldValues } from './client';
export { ApiError, isApiError, type ApiErrorKind } from './errors';
export { API_VERSION, DEFAULT_SERVER, normalizeServer } from './constants';
export { apiEndpoint, type ApiConfig, type CallOptions } from './transport';
export { dbiByInternName, dbiByMessage, dbiByFileId, dbiLastImage, dbiUserImage, type DbiSize, type DbiFile } from './dbi';
export type { Book, BookMessage, Media, Contact, UploadedFile, UserInfo, TableField, TableInfo, TableCell } from './schemas';
