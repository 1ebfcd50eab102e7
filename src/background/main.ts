/**
 * The service worker's entry: it registers every listener at the top level, synchronously, so that
 * the browser can wake the worker for any of them, and hands each event to its module.
 */
import browser from '../shared/browser';
import { showSignedOut } from './badge';

browser.runtime.onInstalled.addListener(() => void showSignedOut());
browser.runtime.onStartup.addListener(() => void showSignedOut());
