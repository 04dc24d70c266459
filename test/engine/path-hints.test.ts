// Server names where the logs name none: an admin's server folder, never a folder of the products' own layout;
// else --server-name, else a UNC host, else this machine's host name. Windows paths (drive letters, UNC, admin
// shares, backslashes) are read as Windows writes them.
import { describe, expect, it } from 'vitest';
import { localHostName, pathHints, uncHost, type ServerNaming } from '../../src/engine/path-hints.js';
import { namedFolders, POSIX, WINDOWS } from '../../src/sources/path-rules.js';

const HOST: ServerNaming = { serverName: null, hostName: 'HOSTNAME' };
const named = { serverName: 'EXCH09', hostName: 'HOSTNAME' };
const hints = (path: string, folders: string[], naming = HOST) => {
  const h = pathHints(path, folders, naming);
  return [h.server, h.serverOrigin, h.site];
};

describe('server names from paths', () => {
  it('takes the folder an admin laid out above W3SVCn, in a folder or a zip, and never a generic folder', () => {
    expect(hints('D:\\copies\\EXCH01\\W3SVC1\\u_ex240311.log', ['copies', 'EXCH01', 'W3SVC1'])).toEqual(['EXCH01', 'folder', 'W3SVC1']);
    expect(hints('D:\\copies\\EXCH01\\LogFiles\\W3SVC2\\u_ex240311.log', ['EXCH01', 'LogFiles', 'W3SVC2'])).toEqual(['EXCH01', 'folder', 'W3SVC2']);
    expect(hints('exports/EXCH02.zip!W3SVC1/u_ex240311.log', ['exports', 'EXCH02', 'W3SVC1'])).toEqual(['EXCH02', 'folder', 'W3SVC1']);
    // A machine's own folders scanned in place: IIS, HTTP.sys and Exchange all get the host name
    for (const folders of [
      ['LogFiles', 'W3SVC1'], ['W3SVC1'], ['logs'], ['HTTPERR'], ['Logging', 'Pop3'], ['Logging', 'Imap4'],
      ['TransportRoles', 'Logs', 'FrontEnd', 'ProtocolLog', 'SmtpReceive'], ['Hub', 'ProtocolLog', 'SmtpSend'],
      ['inetpub', 'logs', 'LogFiles', 'W3SVC2'], ['C:', 'Windows', 'System32', 'LogFiles', 'HTTPERR'], [''],
    ]) {
      expect(hints('C:\\x\\u_ex240311.log', folders), folders.join('\\')).toEqual(['HOSTNAME', 'host', folders.includes('W3SVC1') ? 'W3SVC1' : folders.includes('W3SVC2') ? 'W3SVC2' : null]);
      expect(hints('C:\\x\\u_ex240311.log', folders, named)[0]).toBe('EXCH09');
      expect(hints('C:\\x\\u_ex240311.log', folders, named)[1]).toBe('option');
    }
  });

  it('names the host of a UNC path when its folders name no server, but --server-name and server folders win', () => {
    expect(uncHost('\\\\EXCH03\\c$\\inetpub\\logs\\LogFiles\\W3SVC1\\u_ex240311.log')).toBe('EXCH03');
    expect(uncHost('//EXCH03/logs/u_ex240311.log')).toBe('EXCH03');
    expect(uncHost('\\\\?\\C:\\logs\\u_ex.log')).toBeNull();
    expect(uncHost('\\\\.\\pipe\\x')).toBeNull();
    expect(uncHost('C:\\inetpub\\logs\\LogFiles\\u_ex.log')).toBeNull();
    expect(hints('\\\\EXCH03\\c$\\inetpub\\logs\\LogFiles\\W3SVC1\\u_ex240311.log', ['LogFiles', 'W3SVC1'])).toEqual(['EXCH03', 'unc', 'W3SVC1']);
    expect(hints('\\\\EXCH03\\c$\\LogFiles\\W3SVC1\\u_ex.log', ['c$', 'LogFiles', 'W3SVC1'], named)).toEqual(['EXCH09', 'option', 'W3SVC1']);
    expect(hints('\\\\files\\logs\\EXCH04\\W3SVC1\\u_ex.log', ['EXCH04', 'W3SVC1'])).toEqual(['EXCH04', 'folder', 'W3SVC1']);
  });

  it('sees the server folder above a W3SVCn folder named on the command line, on Windows paths too', () => {
    expect(namedFolders('D:\\copies\\EXCH01\\W3SVC1', true, WINDOWS)).toEqual(['EXCH01', 'W3SVC1']);
    expect(namedFolders('D:\\copies\\EXCH01\\W3SVC1\\u_ex240311.log', false, WINDOWS)).toEqual(['EXCH01', 'W3SVC1']);
    expect(namedFolders('C:\\inetpub\\logs\\LogFiles\\W3SVC1', true, WINDOWS)).toEqual(['LogFiles', 'W3SVC1']);
    expect(namedFolders('C:\\inetpub\\logs\\LogFiles', true, WINDOWS)).toEqual(['LogFiles']);
    expect(namedFolders('\\\\EXCH03\\c$\\inetpub\\logs\\LogFiles\\W3SVC2', true, WINDOWS)).toEqual(['LogFiles', 'W3SVC2']);
    expect(namedFolders('C:\\', true, WINDOWS)).toEqual([]);
    expect(namedFolders('/srv/logs/EXCH05/W3SVC1', true, POSIX)).toEqual(['EXCH05', 'W3SVC1']);
  });

  it('uses the first label of the host name, as Windows names itself', () => {
    expect(localHostName()).not.toContain('.');
    expect(localHostName().length).toBeGreaterThan(0);
  });
});
